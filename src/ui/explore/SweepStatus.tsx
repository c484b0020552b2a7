/**
 * Where a sweep is: which value of how many, a bar over the whole sweep, the engine's phase and
 * progress in the current run; once it ends, that it finished, or why it stopped and what it kept.
 */
import { percent, PHASE_WORDS } from '../common/format';
import type { RunState } from '../state/runState';
import { isSweepActive, sweepProgress, type SweepRun } from '../state/sweepState';
import { sweepStatusText } from './sweepWords';
import { ProgressBar } from '../common/ProgressBar';

export function SweepStatus({ sweep, run }: { sweep: SweepRun | null; run: RunState | null }) {
  if (!sweep) return null;
  const active = isSweepActive(sweep);
  const { fraction, current } = sweepProgress(sweep, run);
  const value = Math.round(fraction * 100);
  const stopped = sweep.status === 'cancelled' || sweep.status === 'failed';
  return (
    <div className="sweep-status" aria-busy={active} data-testid={`${sweep.kind}-status`}>
      <ProgressBar percent={value} label="Progress of the sweep" />
      <p className={stopped ? 'sweep-line stopped' : 'sweep-line'} role={stopped ? 'alert' : 'status'}>
        {sweepStatusText(sweep)}
      </p>
      {active && run && current !== null && (
        <p className="sweep-run-line" data-testid={`${sweep.kind}-run-progress`}>
          This run: {PHASE_WORDS[run.phase]}, {percent(current)}.
        </p>
      )}
    </div>
  );
}
