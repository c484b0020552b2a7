/** The preset menu: a preset's values at once, or "custom" once any value is edited. */
import { PRESETS, type PresetName } from '../../experiment/config';
import { shownPreset, type Settings } from '../state/settings';

const PRESET_WORDS: Record<PresetName, string> = {
  quick: 'quick — the effect in a minute or two (m = 20, 4 models)',
  paper: 'paper — the authors’ recipe exactly (m = 3, 10 models; slow)',
  tiny: 'tiny — seconds, for trying things out (3 small models)',
};

export function PresetField({ settings, onChoose }: { settings: Settings; onChoose: (name: PresetName) => void }) {
  return (
    <div className="field preset-field">
      <label htmlFor="setting-preset">Preset</label>
      <select
        id="setting-preset"
        name="preset"
        value={shownPreset(settings)}
        onChange={(e) => {
          const name = e.target.value;
          if (name !== 'custom') onChoose(name as PresetName);
        }}
        aria-describedby="setting-preset-hint"
      >
        {(Object.keys(PRESETS) as PresetName[]).map((name) => (
          <option key={name} value={name}>
            {PRESET_WORDS[name]}
          </option>
        ))}
        <option value="custom" disabled>
          custom — edited from {settings.base}
        </option>
      </select>
      <small id="setting-preset-hint" className="hint">
        Change any value below and the preset becomes “custom”; the link keeps every setting.
      </small>
    </div>
  );
}
