/**
 * The mitigation as three radio buttons rather than a list: none; projection (each distillation
 * step drops its component along the trait gradient when the two agree); liminal training (early
 * in distillation, a KL penalty holds each student near its own start), whose weight λ and window
 * appear when it is chosen. Each edits the drafts like every other field, so it lands in the URL
 * the same way.
 */
import type { ExperimentConfig, Mitigation } from '../../experiment/config';
import { MITIGATION_NAMES } from '../common/mitigation';
import { fieldIssues, type Settings } from '../state/settings';
import type { SettingsActions } from '../state/useUrlConfig';
import { Field } from './Field';

const CHOICES: { value: Mitigation; words: string }[] = [
  { value: 'none', words: 'the students copy the teacher as they are' },
  { value: 'project', words: 'remove the part of each student step that points along the trait gradient' },
  { value: 'liminal', words: 'early on, hold each student near its own start (a KL penalty)' },
];

const LIMINAL_FIELDS: (keyof ExperimentConfig)[] = ['liminalWeight', 'liminalWindow'];

export function MitigationField({ settings, onEdit }: { settings: Settings; onEdit: SettingsActions['edit'] }) {
  const chosen = settings.drafts.mitigation.trim();
  const issues = fieldIssues(settings, 'mitigation');
  // λ and the window show with liminal training, and whenever one of them is refused (a link may set them alone).
  const liminal = chosen === 'liminal' || LIMINAL_FIELDS.some((field) => fieldIssues(settings, field).length > 0);
  return (
    <fieldset
      className={`field mitigation-field${issues.length > 0 ? ' invalid' : ''}`}
      aria-describedby="setting-mitigation-hint"
    >
      <legend>Mitigation</legend>
      {CHOICES.map(({ value, words }) => (
        <label key={value} className="check">
          <input
            type="radio"
            name="mitigation"
            value={value}
            data-testid={`mitigation-${value}`}
            checked={chosen === value}
            onChange={() => onEdit('mitigation', value)}
          />
          <span>
            <strong>{MITIGATION_NAMES[value]}:</strong> {words}
          </span>
        </label>
      ))}
      <small id="setting-mitigation-hint" className="hint">
        Ways to stop the trait travelling (arXiv 2604.25779). With projection the same-init student should stay near
        chance while its imitation loss still falls; liminal training acts in the first steps, when most of the trait
        arrives.
      </small>
      {issues.length > 0 && <small className="field-error">{issues.map((issue) => issue.message).join('; ')}</small>}
      {liminal && (
        <div className="fields liminal-fields" data-testid="liminal-fields">
          {LIMINAL_FIELDS.map((field) => (
            <Field key={field} field={field} settings={settings} onEdit={onEdit} />
          ))}
        </div>
      )}
    </fieldset>
  );
}
