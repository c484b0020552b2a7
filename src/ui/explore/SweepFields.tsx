/** The "change one setting" panel's two fields: which setting, and the values to try. */
import type { ExperimentConfig } from '../../experiment/config';
import { SWEEP_SETTINGS, type SweepPlan, type SweepSetting } from '../../experiment/sweep/sweep';
import { DEFAULT_VALUES } from '../state/sweepLink';

const SETTINGS = Object.keys(SWEEP_SETTINGS) as SweepSetting[];

interface Props {
  setting: SweepSetting;
  values: string;
  /** Why the values cannot run (the field is marked invalid when there is any). */
  issues: readonly string[];
  /** The plan the values make, if they can run (its number of runs is in the hint). */
  plan: SweepPlan | null;
  config: ExperimentConfig;
  onSetting: (setting: SweepSetting) => void;
  onValues: (text: string) => void;
}

export function SweepFields({ setting, values, issues, plan, config, onSetting, onValues }: Props) {
  return (
    <div className="fields sweep-fields">
      <div className="field">
        <label htmlFor="sweep-setting">Setting to vary</label>
        <select id="sweep-setting" value={setting} onChange={(e) => onSetting(e.target.value as SweepSetting)}>
          {SETTINGS.map((key) => (
            <option key={key} value={key}>
              {SWEEP_SETTINGS[key].label}
            </option>
          ))}
        </select>
      </div>
      <div className={`field${issues.length > 0 ? ' invalid' : ''}`}>
        <label htmlFor="sweep-values">Values (comma-separated)</label>
        <input
          id="sweep-values"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={values}
          aria-invalid={issues.length > 0}
          aria-describedby="sweep-values-hint"
          onChange={(e) => onValues(e.target.value)}
        />
        <small id="sweep-values-hint" className="hint">
          {setting === 'freshLayers'
            ? 'all = every combination, or sets such as none,1,1+2'
            : `e.g. ${DEFAULT_VALUES[setting]}`}
          {plan && ` · ${plan.values.length} runs of ${config.models} model${config.models === 1 ? '' : 's'}`}
        </small>
      </div>
    </div>
  );
}
