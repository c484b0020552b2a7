/**
 * A sweep's numbers under its chart, in percent: per value, the same-start and different-start
 * students' mean test accuracy with the 95% half-width in points, and the teacher's (where the chart has it). A dash marks
 * a value that has not run (yet).
 */
import { accuracyPercent, percentPoints } from '../common/format';

export interface SweepTableRow {
  value: string;
  /** The value in words. */
  label: string;
  same: number | null;
  sameCi: number | null;
  different: number | null;
  differentCi: number | null;
  teacher?: number | null;
}

function Cell({ mean, ci, testId }: { mean: number | null; ci?: number | null; testId: string }) {
  if (mean === null) return <td className="number muted">—</td>;
  return (
    <td className="number" data-testid={testId} data-value={mean}>
      {accuracyPercent(mean)}
      {ci != null && <span className="ci"> {percentPoints(ci)}</span>}
    </td>
  );
}

export function SweepTable({
  rows,
  heading,
  testId,
  caption,
}: {
  rows: SweepTableRow[];
  heading: string;
  testId: string;
  caption: string;
}) {
  const teacher = rows.some((row) => row.teacher !== undefined);
  return (
    <div className="table-scroll">
      <table className="result-table sweep-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">same-start student</th>
            <th scope="col">different-start student</th>
            {teacher && <th scope="col">teacher</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.value}>
              <th scope="row">{row.label}</th>
              <Cell mean={row.same} ci={row.sameCi} testId={`${testId}-${row.value}-same`} />
              <Cell mean={row.different} ci={row.differentCi} testId={`${testId}-${row.value}-different`} />
              {teacher && <Cell mean={row.teacher ?? null} testId={`${testId}-${row.value}-teacher`} />}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
