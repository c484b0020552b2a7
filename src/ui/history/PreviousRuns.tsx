/**
 * "Previous runs": every saved run, newest first, each to reopen on the page, export as JSON or
 * delete (with a moment to undo); tick two to see them side by side. Stored records the page
 * cannot read are listed apart, to export or delete. A plain table with headers and labelled
 * buttons, so it reads and works by keyboard and screen reader.
 */
import { memo, useState } from 'react';
import type { ExperimentResult } from '../../experiment/results';
import { downloadText } from '../common/download';
import { accuracyPercent } from '../common/format';
import { CompareRuns } from './CompareRuns';
import { exportFilename, recordText, settingsSummary, whenRan } from './savedRun';
import type { SavedRun, UnreadableRun } from './store';
import type { DeletedRun } from './useRunHistory';
import './history.css';

interface Props {
  runs: SavedRun[];
  /** Why runs are not being kept, when they are not. */
  notice: string | null;
  /** A run is going: reopening would replace it, so Reopen waits. */
  busy: boolean;
  /** Stored records that are not runs this page can show. */
  unreadable: UnreadableRun[];
  /** The record deleted last, while it can be put back. */
  deleted: DeletedRun | null;
  onReopen(run: SavedRun): void;
  /** Plays the run back on the first screen (allowed while another run trains). */
  onReplay?(run: SavedRun): void;
  /** Deletes a run or an unreadable record, by its key. */
  onDelete(key: IDBValidKey): void;
  onUndo(): void;
  /** The results file's text, as the export buttons write it (export/export.ts's resultJson). */
  resultJson(result: ExperimentResult): string;
}

export const PreviousRuns = memo(function PreviousRuns({
  runs,
  notice,
  busy,
  unreadable,
  deleted,
  onReopen,
  onReplay,
  onDelete,
  onUndo,
  resultJson,
}: Props) {
  // Ids ticked for comparison, oldest tick first; a third tick drops the oldest.
  const [ticked, setTicked] = useState<number[]>([]);
  const present = ticked.filter((id) => runs.some((r) => r.id === id));
  const compared = present.length === 2 ? present.map((id) => runs.find((r) => r.id === id)!) : null;
  const toggle = (id: number) =>
    setTicked(present.includes(id) ? present.filter((t) => t !== id) : [...present, id].slice(-2));

  return (
    <section className="previous-runs" aria-labelledby="previous-runs-title" data-testid="previous-runs">
      <h2 id="previous-runs-title">Previous runs</h2>
      {notice && (
        <p className="storage-notice" role="status" data-testid="storage-notice">
          {notice}
        </p>
      )}
      {deleted && (
        <p className="undo-notice" role="status" data-testid="undo-delete">
          Deleted {deleted.label}.{' '}
          <button type="button" onClick={onUndo}>
            Undo
          </button>
        </p>
      )}
      <UnreadableRuns unreadable={unreadable} onDelete={onDelete} />
      {runs.length === 0 ? (
        <p className="hint">No saved runs yet. Every run that finishes is kept here, on this device only.</p>
      ) : (
        <>
          <p className="hint">Kept on this device only. Tick two runs to compare them.</p>
          <div className="previous-runs-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Compare</th>
                  <th scope="col">Ran at</th>
                  <th scope="col">Settings</th>
                  <th scope="col">Same start</th>
                  <th scope="col">Different start</th>
                  <th scope="col">Models</th>
                  <th scope="col">Seconds</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => {
                  const when = whenRan(new Date(run.ranAt));
                  const { student_aux, cross_aux } = run.result.conditions;
                  return (
                    <tr key={run.id} data-testid="previous-run">
                      <td>
                        <input
                          type="checkbox"
                          checked={present.includes(run.id)}
                          onChange={() => toggle(run.id)}
                          aria-label={`Compare the run at ${when}`}
                        />
                      </td>
                      <th scope="row">{when}</th>
                      <td>{settingsSummary(run.config)}</td>
                      <td>{accuracyPercent(student_aux.mean)}</td>
                      <td>{accuracyPercent(cross_aux.mean)}</td>
                      <td>{student_aux.accuracies.length}</td>
                      <td>{run.result.seconds.toFixed(1)}</td>
                      <td className="previous-run-actions">
                        <button
                          type="button"
                          onClick={() => onReopen(run)}
                          disabled={busy}
                          aria-label={`Reopen the run at ${when}`}
                        >
                          Reopen
                        </button>
                        {onReplay && (
                          <button type="button" onClick={() => onReplay(run)} aria-label={`Replay the run at ${when}`}>
                            Replay
                          </button>
                        )}
                        <button
                          type="button"
                          onClick={() =>
                            downloadText(resultJson(run.result), exportFilename(run.ranAt), 'application/json')
                          }
                          aria-label={`Export the run at ${when} as JSON`}
                        >
                          Export
                        </button>
                        <button type="button" onClick={() => onDelete(run.id)} aria-label={`Delete the run at ${when}`}>
                          Delete
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {busy && <p className="hint">Reopen waits until the run in progress ends.</p>}
          {compared && <CompareRuns a={compared[0]} b={compared[1]} />}
        </>
      )}
    </section>
  );
});

/** "1 saved run could not be read": each with why, to export as it is stored or delete. */
function UnreadableRuns({ unreadable, onDelete }: { unreadable: UnreadableRun[]; onDelete(key: IDBValidKey): void }) {
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
