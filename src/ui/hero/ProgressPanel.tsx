/**
 * Where the run is: the phase in words, a progress bar over the whole run, steps per second and
 * time left; and the MNIST download while it lasts. Its height is fixed so nothing below it jumps.
 */
import type { DataState, RunState } from '../state/runState';
import { duration, megabytes, PHASE_WORDS, rate } from '../common/format';
import { ProgressBar } from '../common/ProgressBar';

function DataLine({ data }: { data: DataState }) {
  if (data.status !== 'loading') return null;
  const fraction = data.totalBytes ? Math.min(1, data.loadedBytes / data.totalBytes) : null;
  return (
    <div className="data-line" data-testid="data-progress">
      Downloading the MNIST digits: {megabytes(data.loadedBytes)}
      {data.totalBytes ? ` of ${megabytes(data.totalBytes)}` : ''}
      {fraction !== null && (
        <span className="data-bar" aria-hidden="true">
          <span style={{ width: `${fraction * 100}%` }} />
        </span>
      )}
    </div>
  );
}

function statusLine(run: RunState | null, models: number): string {
  if (!run) return `Ready. Press Run to train ${models} teacher${models === 1 ? '' : 's'} and their students.`;
  switch (run.status) {
    case 'running':
      return run.phaseMessage || 'Starting the engine…';
    case 'cancelling':
      return 'Cancelling after the current step…';
    case 'finished':
      return run.result ? `Done in ${duration(run.result.seconds)}. Press Run to train again.` : 'Done.';
    case 'cancelled':
      return `Cancelled during “${PHASE_WORDS[run.cancelledAt?.phase ?? run.phase]}” at step ${run.cancelledAt?.step ?? 0}. Press Run to start again.`;
    case 'failed':
      return `The run stopped. ${run.failure ?? ''} Press Run to try again.`;
  }
}

export function ProgressPanel({ run, data, models }: { run: RunState | null; data: DataState; models: number }) {
  const fraction = run ? (run.status === 'finished' ? 1 : (run.progress?.fraction ?? 0)) : 0;
  const value = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  const active = run !== null && (run.status === 'running' || run.status === 'cancelling');
  const progress = run?.progress;
  return (
    <div className="progress-panel" aria-busy={active}>
      <p className="phase" data-testid="phase">
        {run ? PHASE_WORDS[run.phase] : 'Not started'}
      </p>
      <ProgressBar percent={value} label="Progress of the whole run" />
      <p className="progress-numbers">
        <span>{value}%</span>
        {active && progress && (
          <>
            <span>
              step {progress.step.toLocaleString('en')} of {progress.totalSteps.toLocaleString('en')}
            </span>
            <span>{rate(progress.stepsPerSecond)} steps/s</span>
            <span>{progress.secondsLeft === null ? 'estimating time left…' : `about ${duration(progress.secondsLeft)} left`}</span>
          </>
        )}
      </p>
      <p className="status-line" role="status">{statusLine(run, models)}</p>
      <DataLine data={data} />
    </div>
  );
}
