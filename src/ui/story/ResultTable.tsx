/**
 * The result in numbers, one row per condition, all in percent: this run's mean test accuracy (in
 * `result-NAME`, the exact fraction in its data-value), its 95% interval in percentage points, and
 * the paper's value. A run with a taught trait adds its measure beside them (`trait-NAME`): how
 * often each model says 7 on noise, or calls a 3 an 8, with its 95% interval. The featured student's
 * row stands out. On a phone it scrolls sideways.
 */
import { memo } from 'react';
import type { ConditionName, ExperimentResult, TraitCondition } from '../../experiment/results';
import { accuracyPercent, percent, percentPoints } from '../common/format';
import type { Palette } from '../common/palette';
import { isTaught, resultTrait, TRAIT_AXIS } from '../common/trait';
import { resultBars } from './resultBars';
import { ScrollTable } from './ScrollTable';

/** A condition's trait measure: "64.0% ± 3.1", the exact mean in data-value. */
function TraitCell({ name, measure }: { name: ConditionName; measure: TraitCondition }) {
  return (
    <td className="number" data-testid={`trait-${name}`} data-value={measure.mean}>
      {accuracyPercent(measure.mean)}
      {measure.ci95 === null ? '' : ` ${percentPoints(measure.ci95).replace(' points', '')}`}
    </td>
  );
}

export const ResultTable = memo(function ResultTable({
  result,
  featured,
  palette,
}: {
  result: ExperimentResult | null;
  featured: ConditionName;
  palette: Palette;
}) {
  const trait = result ? resultTrait(result) : 'digits';
  const traitResult = isTaught(trait) ? (result?.trait ?? null) : null;
  return (
    <ScrollTable label="Result table">
      <table className="result-table">
        <caption className="visually-hidden">
          Test accuracy on the 10,000 MNIST test images{traitResult && `, and the trait: ${traitResult.measure}`}, in
          percent
        </caption>
        <thead>
          <tr>
            <th scope="col">model</th>
            <th scope="col">test accuracy, this run</th>
            <th scope="col">95% interval</th>
            {traitResult && <th scope="col">{TRAIT_AXIS[trait]}, ±&nbsp;95%</th>}
            <th scope="col">paper</th>
          </tr>
        </thead>
        <tbody>
          {resultBars(result, featured).map((bar) => (
            <tr
              key={bar.name}
              className={bar.featured ? 'featured' : undefined}
              aria-current={bar.featured ? 'true' : undefined}
            >
              <th scope="row">
                <span className="swatch" style={{ background: palette.condition[bar.name] }} aria-hidden="true" />
                {bar.label}
              </th>
              <td className="number">
                {bar.mean === null ? (
                  '—'
                ) : (
                  <span data-testid={`result-${bar.name}`} data-value={bar.mean}>
                    {accuracyPercent(bar.mean)}
                  </span>
                )}
              </td>
              <td className="number" data-testid={bar.mean === null ? undefined : `ci-${bar.name}`}>
                {bar.mean === null ? '' : bar.ci === null ? 'n/a (1 model)' : percentPoints(bar.ci)}
              </td>
              {traitResult && <TraitCell name={bar.name} measure={traitResult.conditions[bar.name]} />}
              <td className="number paper">{percent(bar.paper)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
});
