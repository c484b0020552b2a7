/**
 * Run, Pause/Continue, Cancel and Replay. Run is refused, with the reason in words beside it, while
 * a setting (typed or from the link) is refused: the first reason in full, the rest counted, all of
 * them in Settings. Every button keeps one size whatever it says ("Run" / "Running…"): each label
 * is drawn over its longest wording, kept invisible, so nothing beside or below it moves.
 */
import { memo } from 'react';
import type { ConfigIssue } from '../../experiment/config';

interface Props {
  running: boolean;
  cancelling: boolean;
  issues: ConfigIssue[];
  onRun: () => void;
  onCancel: () => void;
  /** Pause at the next stage / continue; the button shows only when given. */
  pause?: { paused: boolean; disabled: boolean; onToggle: () => void };
  /** Play a finished run back; the button shows only when given. */
  replay?: { disabled: boolean; onReplay: () => void; playing?: boolean };
  /** More controls under the buttons, across both columns (the stage stops). */
  children?: React.ReactNode;
}

/** Longest reason shown beside Run: the first screen must keep its place; Settings has every word. */
const REASON_LIMIT = 120;

function shortReason(message: string): string {
  return message.length > REASON_LIMIT ? `${message.slice(0, REASON_LIMIT - 1)}…` : message;
}

/** One label shown, every wording laid in the same cell so the button is as wide as the longest. */
function Label({ shown, all }: { shown: string; all: readonly string[] }) {
  return (
    <span className="label-stack">
      {all.map((words) => (
        <span
          key={words}
          aria-hidden={words === shown ? undefined : true}
          className={words === shown ? undefined : 'spare'}
        >
          {words}
        </span>
      ))}
    </span>
  );
}

export const RunButtons = memo(function RunButtons({
  running,
  cancelling,
  issues,
  onRun,
  onCancel,
  pause,
  replay,
  children,
}: Props) {
  const blocked = issues.length > 0;
  return (
    <div className="run-buttons">
      <button
        type="button"
        className={running ? 'run busy' : 'run'}
        data-testid="run"
        disabled={running || blocked}
        aria-describedby={blocked ? 'run-blocked' : undefined}
        aria-keyshortcuts="R"
        onClick={onRun}
      >
        <Label shown={running ? 'Running…' : 'Run'} all={['Run', 'Running…']} />
      </button>
      {pause && (
        <button
          type="button"
          className="pause secondary"
          data-testid="pause"
          aria-pressed={pause.paused}
          aria-keyshortcuts="Space K"
          disabled={pause.disabled}
          onClick={pause.onToggle}
        >
          <Label shown={pause.paused ? 'Continue' : 'Pause'} all={['Pause', 'Continue']} />
        </button>
      )}
      <button
        type="button"
        className="cancel secondary"
        data-testid="cancel"
        disabled={!running || cancelling}
        onClick={onCancel}
      >
        <Label shown={cancelling ? 'Cancelling…' : 'Cancel'} all={['Cancel', 'Cancelling…']} />
      </button>
      {replay && (
        <button
          type="button"
          className="replay secondary"
          data-testid="replay"
          disabled={replay.disabled}
          aria-pressed={replay.playing ?? false}
          onClick={replay.onReplay}
        >
          <Label shown={replay.playing ? 'End replay' : 'Replay'} all={['Replay', 'End replay']} />
        </button>
      )}
      {children}
      {blocked && (
        <p id="run-blocked" className="run-blocked">
          Run is off until {issues.length === 1 ? 'this is' : 'these are'} fixed: {shortReason(issues[0].message)}
          {issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''} — see Settings.
        </p>
      )}
    </div>
  );
});
