/**
 * The settings form: a preset and every field of the config, the rarer ones under "Advanced". Each
 * field shows experiment/config's own message when its value is refused; the link's refused values are
 * listed above the form, and keep Run off until fixed or replaced by the preset's values. Valid
 * settings go into the page's URL (useUrlConfig); until then the address bar keeps the link as opened.
 */
import { memo, useState } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import type { Settings } from '../state/settings';
import type { SettingsActions } from '../state/useUrlConfig';
import { Field } from './Field';
import { LinkIssues } from './LinkIssues';
import { MitigationField } from './MitigationField';
import { PresetField } from './PresetField';

const MAIN: (keyof ExperimentConfig)[] = [
  'trait',
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
  'curveSpacing',
  'curveTestImages',
];

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
      <MitigationField settings={settings} onEdit={actions.edit} />
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
