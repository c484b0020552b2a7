/**
 * One line of progress for the first screen: the step in words, speed and time left, a thin bar,
 * and the MNIST download while it lasts. Its height is fixed so nothing below it moves.
 */
import { megabytes } from '../common/format';
import { ProgressBar } from '../common/ProgressBar';
import type { DataState, RunState } from '../state/runState';
import { progressLine } from './heroView';

function DataLine({ data }: { data: DataState }) {
  if (data.status !== 'loading') return null;
  return (
    <span className="data-line" data-testid="data-progress">
      Downloading the MNIST digits: {megabytes(data.loadedBytes)}
      {data.totalBytes ? ` of ${megabytes(data.totalBytes)}` : ''}
    </span>
  );
}

interface Props {
  run: RunState | null;
  data: DataState;
  models: number;
}

export function ProgressLine({ run, data, models }: Props) {
  const line = progressLine(run, data, models);
  const active = run !== null && (run.status === 'running' || run.status === 'cancelling');
  // The download matters only before a run, or while the run waits for it; beside a result it would read as a contradiction.
  const waiting = run === null || (active && run.progress === null && run.phaseMessage === '');
  return (
    <div className="progress-line" aria-busy={active}>
      <p className="progress-text">
        <span className="phase" data-testid="phase" role="status">
          {line.text}
        </span>
        {line.detail && <span className="progress-detail">{line.detail}</span>}
        {waiting && <DataLine data={data} />}
      </p>
      <ProgressBar percent={line.percent} label="Progress of the whole run" />
    </div>
  );
}
