/**
 * Run and Cancel. Run is refused, with the reason in words beside it, while a setting (typed or
 * from the link) is refused: the first reason in full, the rest counted, all of them in Settings.
 */
import { memo } from 'react';
import type { ConfigIssue } from '../../experiment/config';

interface Props {
  running: boolean;
  cancelling: boolean;
  issues: ConfigIssue[];
  onRun: () => void;
  onCancel: () => void;
}

/** Longest reason shown beside Run: the first screen must keep its place; Settings has every word. */
const REASON_LIMIT = 120;

function shortReason(message: string): string {
  return message.length > REASON_LIMIT ? `${message.slice(0, REASON_LIMIT - 1)}…` : message;
}

export const RunButtons = memo(function RunButtons({ running, cancelling, issues, onRun, onCancel }: Props) {
  const blocked = issues.length > 0;
  return (
    <div className="run-buttons">
      <button
        type="button"
        className="run"
        data-testid="run"
        disabled={running || blocked}
        aria-describedby={blocked ? 'run-blocked' : undefined}
        onClick={onRun}
      >
        {running ? 'Running…' : 'Run'}
      </button>
      <button
        type="button"
        className="cancel secondary"
        data-testid="cancel"
        disabled={!running || cancelling}
        onClick={onCancel}
      >
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
      {blocked && (
        <p id="run-blocked" className="run-blocked">
          Run is off until {issues.length === 1 ? 'this is' : 'these are'} fixed: {shortReason(issues[0].message)}
          {issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''} — see Settings.
        </p>
      )}
    </div>
  );
});
