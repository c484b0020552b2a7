/**
 * Where the run computes, in one short line that never wraps ("Running on your GPU: NVIDIA · ampere",
 * "Running on your CPU — no usable GPU found"); the full adapter string and why faster backends were
 * passed over open on demand (a native <details>, so keyboard and screen readers get it for free),
 * as a panel laid over the page rather than pushing it down; Escape or a click elsewhere closes it.
 * The badge has the same size while the engine starts and once it answers, so nothing below moves.
 * The whole badge, details included, carries data-testid="backend".
 */
import { memo, useEffect, useRef } from 'react';
import type { BackendChoice } from '../../experiment/device/backend';
import { backendLine, backendName } from './format';

/** Closes an open <details> on Escape (focus back on its summary) or on a pointer press outside it. */
function useDismissable() {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (refocus: boolean) => {
      const details = ref.current;
      if (!details?.open) return false;
      details.open = false;
      if (refocus) details.querySelector('summary')?.focus();
      return true;
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && close(ref.current?.contains(document.activeElement) ?? false)) {
        event.preventDefault();
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) close(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, []);
  return ref;
}

export const BackendBadge = memo(function BackendBadge({ choice }: { choice: BackendChoice | null }) {
  const details = useDismissable();
  if (!choice) {
    return (
      <div className="backend-badge starting" data-testid="backend">
        <span className="badge-line">
          <span className="badge-dot" aria-hidden="true" />
          starting the engine…
        </span>
      </div>
    );
  }
  const line = backendLine(choice);
  return (
    <div
      className={`backend-badge ${line.kind}${choice.fallbacks.length > 0 ? ' fallback' : ''}`}
      data-testid="backend"
    >
      <details ref={details}>
        <summary title={line.detail ? `${line.text} · ${line.detail}` : line.text}>
          <span className="badge-dot" aria-hidden="true" />
          <span className="badge-line">
            {line.text}
            {line.detail && <span className="badge-extra"> · {line.detail}</span>}
          </span>
          <span className="visually-hidden"> (details)</span>
        </summary>
        <dl className="badge-details">
          <dt>Engine</dt>
          <dd>TensorFlow.js, {backendName(choice.name)} backend</dd>
          {choice.adapter && (
            <>
              <dt>GPU adapter</dt>
              <dd>{choice.adapter}</dd>
            </>
          )}
          {choice.fallbacks.length > 0 && (
            <>
              <dt>Passed over</dt>
              <dd>
                <ul>
                  {choice.fallbacks.map((fallback) => (
                    <li key={fallback.backend}>
                      {backendName(fallback.backend)}: {fallback.reason}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
      </details>
    </div>
  );
});
