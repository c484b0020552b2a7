/** Two saved runs side by side: the six conditions' mean accuracies and the settings that differ, in words. */
import { formatField } from '../../experiment/config';
import { CONDITIONS, CONDITION_LABELS } from '../../experiment/results';
import { accuracyPercent } from '../common/format';
import { differingSettings, settingName, whenRan } from './savedRun';
import type { SavedRun } from './store';

export function CompareRuns({ a, b }: { a: SavedRun; b: SavedRun }) {
  const [whenA, whenB] = [whenRan(new Date(a.ranAt)), whenRan(new Date(b.ranAt))];
  const differ = differingSettings(a.config, b.config);
  return (
    <div className="compare-runs" data-testid="compare-runs">
      <table>
        <caption>
          The runs at {whenA} and {whenB} side by side
        </caption>
        <thead>
          <tr>
            <th scope="col">Mean test accuracy</th>
            <th scope="col">{whenA}</th>
            <th scope="col">{whenB}</th>
          </tr>
        </thead>
        <tbody>
          {CONDITIONS.map((name) => (
            <tr key={name}>
              <th scope="row">{CONDITION_LABELS[name]}</th>
              <td>{accuracyPercent(a.result.conditions[name].mean)}</td>
              <td>{accuracyPercent(b.result.conditions[name].mean)}</td>
            </tr>
          ))}
          {differ.map((field) => (
            <tr key={field} className="compare-setting">
              <th scope="row">{settingName(field)}</th>
              <td>{formatField(a.config, field)}</td>
              <td>{formatField(b.config, field)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {differ.length === 0 && (
        <p className="hint">Both runs used the same settings: any gap is run-to-run variation (or the backend).</p>
      )}
    </div>
  );
}
