/** A chain's numbers under its chart: per generation, each m's mean test accuracy, and the community's. */
import type { ChainData } from './chainRows';
import { accuracyPercent } from '../common/format';

export function ChainTable({ data }: { data: ChainData }) {
  return (
    <div className="table-scroll">
      <table className="result-table sweep-table" data-testid="chain-table">
        <caption>
          Mean test accuracy of each generation; generation 0 is the original teacher. A dash: not measured.
        </caption>
        <thead>
          <tr>
            <th scope="col">generation</th>
            {data.series.map((series) => (
              <th key={series.key} scope="col">
                {series.label}
              </th>
            ))}
            <th scope="col" className="paper">
              community
            </th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row) => (
            <tr key={row.generation}>
              <th scope="row">{row.generation === 0 ? '0 (teacher)' : row.generation}</th>
              {data.series.map((series) => {
                const value = row[series.key];
                return value === undefined ? (
                  <td key={series.key} className="number muted">
                    —
                  </td>
                ) : (
                  <td key={series.key} className="number" data-testid={`chain-${series.value}-${row.generation}`}>
                    {accuracyPercent(value)}
                  </td>
                );
              })}
              <td className="number paper">{row.community === undefined ? '—' : accuracyPercent(row.community)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
