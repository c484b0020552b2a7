/**
 * The hero control: does the student start from the teacher's own random weights (shared
 * initialisation) or from another model's (different)? Both students are trained in every run, so
 * flipping it only changes which one the page features — no retraining, and the page says so.
 */
import { memo } from 'react';

export const InitSwitch = memo(function InitSwitch({
  shared,
  onChange,
}: {
  shared: boolean;
  onChange: (shared: boolean) => void;
}) {
  return (
    <div className="init-switch">
      <span id="init-switch-label" className="init-switch-label">
        Student starts from the teacher&apos;s own random weights
      </span>
      <div className="init-switch-row">
        <span className={shared ? 'position' : 'position on'} aria-hidden="true" onClick={() => onChange(false)}>
          Different start
        </span>
        <button
          type="button"
          role="switch"
          data-testid="init-switch"
          aria-checked={shared}
          aria-labelledby="init-switch-label"
          aria-describedby="init-switch-state init-switch-note"
          className="switch"
          onClick={() => onChange(!shared)}
        >
          <span className="switch-thumb" aria-hidden="true" />
        </button>
        <span className={shared ? 'position on' : 'position'} aria-hidden="true" onClick={() => onChange(true)}>
          Same start
        </span>
      </div>
      <p id="init-switch-state" className="init-switch-state">
        {shared
          ? 'Shared initialisation: the featured student begins exactly where the teacher began.'
          : 'Different initialisation: the featured student begins from another model’s random weights.'}
      </p>
      <p id="init-switch-note" className="init-switch-note">
        No retraining: both students are trained in every run; the switch picks the one shown.
      </p>
    </div>
  );
});
