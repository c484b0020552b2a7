/**
 * Says that the result on the page is a saved one shown again (after a reload or Reopen), not a run
 * of this visit: "Result of the run at 14:32, 29 Nov — not yet rerun". Nothing when it is not.
 */
import type { RunState } from '../state/runState';
import { whenRan } from './savedRun';
import './history.css';

export function RestoredNote({ run }: { run: RunState | null }) {
  if (!run?.restoredFrom) return null;
  return (
    <p className="restored-note" data-testid="restored-note">
      Result of the run at {whenRan(run.restoredFrom)} — not yet rerun
    </p>
  );
}
