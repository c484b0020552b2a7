/**
 * The settings form: a preset and every field of the config, the rarer ones under "Advanced". Each
 * field shows experiment/config's own message when its value is refused; the link's refused values are
 * listed above the form, and keep Run off until fixed or replaced by the preset's values. Valid
 * settings go into the page's URL (useUrlConfig); until then the address bar keeps the link as opened.
 */
import { memo, useState } from 'react';
import { FIELDS, type ExperimentConfig } from '../../experiment/config';
import { fieldIssues, type Settings } from '../state/settings';
import type { SettingsActions } from '../state/useUrlConfig';
import { LinkIssues } from './LinkIssues';
import { PresetField } from './PresetField';

const TITLES: Record<keyof ExperimentConfig, string> = {
  models: 'Models',
  auxLogits: 'Auxiliary logits m',
  hidden: 'Hidden layers',
  teacherEpochs: 'Teacher epochs',
  trainImages: 'Training images',
  studentEpochs: 'Student epochs',
  noiseImages: 'Noise images',
  noise: 'Noise',
  distillLoss: 'Distillation loss',
  mitigation: 'Mitigation',
  studentInitNoise: 'Student start noise σ',
  freshLayers: 'Fresh layers (same-init students)',
  generations: 'Chain generations',
  learningRate: 'Learning rate',
  batchSize: 'Batch size',
  seed: 'Seed',
  curvePoints: 'Curve points per phase',
  curveTestImages: 'Curve test images',
};

const MAIN: (keyof ExperimentConfig)[] = [
  'models',
  'auxLogits',
  'teacherEpochs',
  'studentEpochs',
  'learningRate',
  'batchSize',
  'noise',
  'distillLoss',
  'seed',
];
const ADVANCED: (keyof ExperimentConfig)[] = [
  'hidden',
  'trainImages',
  'noiseImages',
  'studentInitNoise',
  'freshLayers',
  'generations',
  'curvePoints',
  'curveTestImages',
];

function rangeHint(field: keyof ExperimentConfig): string {
  const spec = FIELDS[field];
  if (spec.kind === 'choice') return spec.help;
  if (spec.kind === 'intList' && field === 'freshLayers') return `${spec.help}, e.g. 1,2 or none`;
  if (spec.kind === 'intList')
    return `${spec.help}: ${spec.minLength}–${spec.maxLength} widths, each ${spec.min}–${spec.max}, e.g. 256,256`;
  return `${spec.help}: ${spec.kind === 'int' ? 'whole number ' : ''}${spec.min}–${spec.max}`;
}

function Field({
  field,
  settings,
  onEdit,
}: {
  field: keyof ExperimentConfig;
  settings: Settings;
  onEdit: SettingsActions['edit'];
}) {
  const spec = FIELDS[field];
  const id = `setting-${field}`;
  const issues = fieldIssues(settings, field);
  const invalid = issues.length > 0;
  const described = `${id}-hint${invalid ? ` ${id}-error` : ''}`;
  return (
    <div className={`field${invalid ? ' invalid' : ''}`}>
      <label htmlFor={id}>{TITLES[field]}</label>
      {spec.kind === 'choice' ? (
        <select
          id={id}
          name={field}
          value={settings.drafts[field]}
          onChange={(e) => onEdit(field, e.target.value)}
          aria-describedby={described}
        >
          {spec.values.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name={field}
          type="text"
          inputMode={spec.kind === 'number' ? 'decimal' : spec.kind === 'intList' ? 'text' : 'numeric'}
          autoComplete="off"
          spellCheck={false}
          value={settings.drafts[field]}
          onChange={(e) => onEdit(field, e.target.value)}
          aria-invalid={invalid}
          aria-describedby={described}
        />
      )}
      <small id={`${id}-hint`} className="hint">
        {rangeHint(field)}
      </small>
      {invalid && (
        <small id={`${id}-error`} className="field-error">
          {issues.map((issue) => issue.message).join('; ')}
        </small>
      )}
    </div>
  );
}

/**
 * The mitigation as a checkbox rather than a list: ticked = 'project' (each distillation step drops its
 * component along the digit-skill gradient when the two agree), unticked = 'none'. It edits the draft
 * like every other field, so it lands in the URL the same way.
 */
function MitigationCheckbox({ settings, onEdit }: { settings: Settings; onEdit: SettingsActions['edit'] }) {
  const id = 'setting-mitigation';
  const on = settings.drafts.mitigation.trim() === 'project';
  const issues = fieldIssues(settings, 'mitigation');
  return (
    <div className={`field mitigation-field${issues.length > 0 ? ' invalid' : ''}`}>
      <label htmlFor={id} className="check">
        <input
          id={id}
          name="mitigation"
          type="checkbox"
          checked={on}
          onChange={(e) => onEdit('mitigation', e.target.checked ? 'project' : 'none')}
          aria-describedby={`${id}-hint`}
        />
        <span>
          <strong>{TITLES.mitigation}:</strong> remove the part of each student step that points along the digit-skill
          gradient
        </span>
      </label>
      <small id={`${id}-hint`} className="hint">
        With it on, the same-init student should stay near chance while its imitation loss still falls (arXiv
        2604.25779).
      </small>
      {issues.length > 0 && <small className="field-error">{issues.map((issue) => issue.message).join('; ')}</small>}
    </div>
  );
}

export const Controls = memo(function Controls({
  settings,
  actions,
}: {
  settings: Settings;
  actions: SettingsActions;
}) {
  const advancedIssue = settings.issues.some((issue) => (ADVANCED as string[]).includes(issue.field));
  const [advancedOpen, setAdvancedOpen] = useState(false);
  // What the link box above already lists is not listed twice.
  const formIssues = settings.issues.filter(
    (issue) => !settings.linkIssues.some((link) => link.message === issue.message),
  );
  return (
    <section className="controls" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <LinkIssues issues={settings.linkIssues} onDismiss={actions.dismissLinkIssues} />
      <PresetField settings={settings} onChoose={actions.choosePreset} />
      <div className="fields">
        {MAIN.map((field) => (
          <Field key={field} field={field} settings={settings} onEdit={actions.edit} />
        ))}
      </div>
      <MitigationCheckbox settings={settings} onEdit={actions.edit} />
      <details open={advancedOpen || advancedIssue} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
        <summary>Advanced</summary>
        <div className="fields">
          {ADVANCED.map((field) => (
            <Field key={field} field={field} settings={settings} onEdit={actions.edit} />
          ))}
        </div>
      </details>
      {formIssues.length > 0 && (
        <div className="issues" role="alert" data-testid="settings-issues">
          <p>
            <strong>Fix these settings to run:</strong>
          </p>
          <ul>
            {formIssues.map((issue, i) => (
              <li key={i}>{issue.message}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
});
