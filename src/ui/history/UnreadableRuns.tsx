import { downloadText } from '../common/download';
import { recordText } from './savedRun';
import type { UnreadableRun } from './store';

/** "1 saved run could not be read": each with why, to export as it is stored or delete. */
export function UnreadableRuns({
  unreadable,
  onDelete,
}: {
  unreadable: UnreadableRun[];
  onDelete(key: IDBValidKey): void;
}) {
  if (unreadable.length === 0) return null;
  const one = unreadable.length === 1;
  return (
    <div className="unreadable-runs" data-testid="unreadable-runs">
      <p>
        {unreadable.length} saved run{one ? '' : 's'} could not be read (from another version of this page, or damaged),
        so {one ? 'it is' : 'they are'} left out. Export {one ? 'it' : 'them'} to keep {one ? 'it' : 'them'}, or delete{' '}
        {one ? 'it' : 'them'}.
      </p>
      <ul>
        {unreadable.map(({ key, record, problem }, i) => {
          const name = `(the saved run ${i + 1} that could not be read)`;
          return (
            <li key={String(key)} data-testid="unreadable-run">
              <span className="unreadable-problem">{problem}</span>{' '}
              <button
                type="button"
                onClick={() => downloadText(recordText(record), `unreadable-run-${i + 1}.json`, 'application/json')}
                aria-label={`Export it ${name}`}
              >
                Export it
              </button>{' '}
              <button type="button" onClick={() => onDelete(key)} aria-label={`Delete it ${name}`}>
                Delete it
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
