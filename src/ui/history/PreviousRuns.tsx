/**
 * "Previous runs": every saved run, newest first, each to reopen on the page, export as JSON or
 * delete (with a moment to undo); tick two to see them side by side. Stored records the page
 * cannot read are listed apart, to export or delete. A plain table with headers and labelled
 * buttons, so it reads and works by keyboard and screen reader.
 */
import { memo, useState } from 'react';
import type { ExperimentResult } from '../../experiment/results';
import { CompareRuns } from './CompareRuns';
import { PreviousRunRow } from './PreviousRunRow';
import { UnreadableRuns } from './UnreadableRuns';
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
                {runs.map((run) => (
                  <PreviousRunRow
                    key={run.id}
                    run={run}
                    ticked={present.includes(run.id)}
                    onTick={toggle}
                    busy={busy}
                    onReopen={onReopen}
                    onReplay={onReplay}
                    onDelete={onDelete}
                    resultJson={resultJson}
                  />
                ))}
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
