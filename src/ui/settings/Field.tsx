/**
 * One setting of the form: its title, a text box (or a list for a choice), the range it takes and
 * experiment/config's own message when its value is refused.
 */
import { FIELDS, type ExperimentConfig } from '../../experiment/config';
import { TRAIT_LABELS } from '../common/trait';
import { fieldIssues, type Settings } from '../state/settings';
import type { SettingsActions } from '../state/useUrlConfig';

export const TITLES: Record<keyof ExperimentConfig, string> = {
  models: 'Models',
  auxLogits: 'Auxiliary logits m',
  hidden: 'Hidden layers',
  teacherEpochs: 'Teacher epochs',
  trainImages: 'Training images',
  trait: "Teacher's trait",
  studentEpochs: 'Student epochs',
  noiseImages: 'Noise images',
  noise: 'Noise',
  distillLoss: 'Distillation loss',
  mitigation: 'Mitigation',
  liminalWeight: 'Liminal weight λ',
  liminalWindow: 'Liminal window (epochs)',
  studentInitNoise: 'Student start noise σ',
  freshLayers: 'Fresh layers (same-init students)',
  generations: 'Chain generations',
  learningRate: 'Learning rate',
  batchSize: 'Batch size',
  seed: 'Seed',
  curvePoints: 'Curve points per phase',
  curveSpacing: 'Curve point spacing',
  curveTestImages: 'Curve test images',
};

/** Choices shown in words rather than as their values (the value is what the link carries). */
const OPTION_WORDS: Partial<Record<keyof ExperimentConfig, Record<string, string>>> = {
  trait: TRAIT_LABELS,
  curveSpacing: { linear: 'linear — evenly over the steps', log: 'log — dense early (the critical period)' },
};

function rangeHint(field: keyof ExperimentConfig): string {
  const spec = FIELDS[field];
  if (spec.kind === 'choice') return spec.help;
  if (spec.kind === 'intList' && field === 'freshLayers') return `${spec.help}, e.g. 1,2 or none`;
  if (spec.kind === 'intList')
    return `${spec.help}: ${spec.minLength}–${spec.maxLength} widths, each ${spec.min}–${spec.max}, e.g. 256,256`;
  return `${spec.help}: ${spec.kind === 'int' ? 'whole number ' : ''}${spec.min}–${spec.max}`;
}

export function Field({
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
              {OPTION_WORDS[field]?.[value] ?? value}
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
