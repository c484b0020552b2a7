/** Which TensorFlow.js backend the engine runs on (and why faster ones were passed over). Always visible. */
import { memo } from 'react';
import type { BackendChoice } from '../../experiment/backend';
import { backendText } from '../common/format';

export const BackendBadge = memo(function BackendBadge({ choice }: { choice: BackendChoice | null }) {
  const text = choice ? backendText(choice) : 'starting the engine…';
  const fallback = choice !== null && choice.fallbacks.length > 0;
  return (
    <p className={`backend-badge${fallback ? ' fallback' : ''}`} title={text}>
      <span className="badge-label">Runs on</span> <span data-testid="backend">{text}</span>
    </p>
  );
});
