/**
 * The result in numbers, one row per condition: this run's mean (in `result-NAME`), its 95%
 * interval, the models behind it and the paper's value. The featured student's row stands out.
 */
import { memo } from 'react';
import type { ConditionName, ExperimentResult } from '../../experiment/results';
import { accuracy } from '../common/format';
import type { Palette } from '../common/palette';
import { resultBars } from './resultBars';

export const ResultTable = memo(function ResultTable({ result, featured, palette }: { result: ExperimentResult | null; featured: ConditionName; palette: Palette }) {
  return (
    <table className="result-table">
      <caption className="visually-hidden">Test accuracy on the 10,000 MNIST test images</caption>
      <thead>
        <tr>
          <th scope="col">condition</th>
          <th scope="col">this run</th>
          <th scope="col">±95%</th>
          <th scope="col">paper</th>
        </tr>
      </thead>
      <tbody>
        {resultBars(result, featured).map((bar) => (
          <tr key={bar.name} className={bar.featured ? 'featured' : undefined} aria-current={bar.featured ? 'true' : undefined}>
            <th scope="row">
              <span className="swatch" style={{ background: palette.condition[bar.name] }} aria-hidden="true" />
              {bar.label}
            </th>
            <td className="number">
              {bar.mean === null ? (
                '—'
              ) : (
                <span data-testid={`result-${bar.name}`} data-value={bar.mean}>
                  {accuracy(bar.mean)}
                </span>
              )}
            </td>
            <td className="number" data-testid={bar.mean === null ? undefined : `ci-${bar.name}`}>
              {bar.mean === null ? '' : bar.ci === null ? 'n/a (1 model)' : `±${accuracy(bar.ci)}`}
            </td>
            <td className="number paper">{bar.paper.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
