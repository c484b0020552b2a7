/** One saved run in "Previous runs": its numbers, a box to tick for comparison, and what can be done with it. */
import type { ExperimentResult } from '../../experiment/results';
import { downloadText } from '../common/download';
import { accuracyPercent } from '../common/format';
import { exportFilename, settingsSummary, whenRan } from './savedRun';
import type { SavedRun } from './store';

interface Props {
  run: SavedRun;
  /** Ticked for comparison. */
  ticked: boolean;
  onTick(id: number): void;
  /** A run is going: reopening would replace it, so Reopen waits. */
  busy: boolean;
  onReopen(run: SavedRun): void;
  onReplay?(run: SavedRun): void;
  onDelete(key: IDBValidKey): void;
  resultJson(result: ExperimentResult): string;
}

export function PreviousRunRow({ run, ticked, onTick, busy, onReopen, onReplay, onDelete, resultJson }: Props) {
  const when = whenRan(new Date(run.ranAt));
  const { student_aux, cross_aux } = run.result.conditions;
  return (
    <tr data-testid="previous-run">
      <td>
        <input
          type="checkbox"
          checked={ticked}
          onChange={() => onTick(run.id)}
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
        <button type="button" onClick={() => onReopen(run)} disabled={busy} aria-label={`Reopen the run at ${when}`}>
          Reopen
        </button>
        {onReplay && (
          <button type="button" onClick={() => onReplay(run)} aria-label={`Replay the run at ${when}`}>
            Replay
          </button>
        )}
        <button
          type="button"
          onClick={() => downloadText(resultJson(run.result), exportFilename(run.ranAt), 'application/json')}
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
}
