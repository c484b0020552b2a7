/**
 * Where the run computes, in one short line that never wraps ("Running on your GPU: NVIDIA · ampere",
 * "Running on your CPU — no usable GPU found"); the full adapter string and why faster backends were
 * passed over open on demand (a native <details>, so keyboard and screen readers get it for free).
 * The whole badge, details included, carries data-testid="backend".
 */
import { memo } from 'react';
import type { BackendChoice } from '../../experiment/backend';
import { backendLine, backendName } from './format';

export const BackendBadge = memo(function BackendBadge({ choice }: { choice: BackendChoice | null }) {
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
      <details>
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
