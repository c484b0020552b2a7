/** A sweep's Run and Cancel, with the reason in words while Run is off. */
import { memo } from 'react';

interface Props {
  /** Prefix of the test ids and of the reason's id: "values", "layers", "chain". */
  id: string;
  runLabel: string;
  /** Why Run is off; null when it can run. */
  blocked: string | null;
  /** This panel's sweep is going (Cancel is on). */
  active: boolean;
  cancelling: boolean;
  onRun: () => void;
  onCancel: () => void;
}

export const SweepButtons = memo(function SweepButtons({
  id,
  runLabel,
  blocked,
  active,
  cancelling,
  onRun,
  onCancel,
}: Props) {
  return (
    <div className="run-buttons">
      <button
        type="button"
        data-testid={`${id}-run`}
        disabled={active || blocked !== null}
        aria-describedby={blocked && !active ? `${id}-blocked` : undefined}
        onClick={onRun}
      >
        {active ? 'Running…' : runLabel}
      </button>
      <button
        type="button"
        className="secondary"
        data-testid={`${id}-cancel`}
        disabled={!active || cancelling}
        onClick={onCancel}
      >
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
      {blocked && !active && (
        <p id={`${id}-blocked`} className="run-blocked">
          {blocked}
        </p>
      )}
    </div>
  );
});
