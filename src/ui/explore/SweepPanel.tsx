/**
 * "Change one setting": pick a setting and the values to try; the page runs the experiment once per
 * value from the current settings and draws the students' accuracy against the value, with the
 * community's numbers for the paper recipe where there are some.
 */
import { memo, useCallback } from 'react';
import { isSweepActive, type SweepRun } from '../state/sweepState';
import type { PanelProps } from './panelProps';
import { SweepButtons } from './SweepButtons';
import { SweepExport } from './SweepExport';
import { SweepFields } from './SweepFields';
import { sweepFigureSvg } from './sweepFigures';
import { SweepIssues } from './SweepIssues';
import { SweepStatus } from './SweepStatus';
import { SweepResults } from './SweepResults';
import { sweepBlocked } from './sweepWords';
import { useSweepForm } from './useSweepForm';

export const SweepPanel = memo(function SweepPanel({
  settings,
  sweep,
  busy,
  run,
  onStart,
  onCancel,
  palette,
  prefill,
}: PanelProps) {
  const config = settings.config;
  const form = useSweepForm(config, sweep, prefill);
  const { planned, issues, data } = form;
  const figure = useCallback((s: SweepRun) => sweepFigureSvg(s, palette), [palette]);

  const active = isSweepActive(sweep);
  const blocked = sweepBlocked({ settingsIssues: settings.issues.length, planIssues: planned.issues.length, busy });
  const models = sweep?.base.models ?? config.models;

  return (
    <section className="explore-panel" aria-labelledby="explore-values-title">
      <h3 id="explore-values-title">Change one setting</h3>
      <p>
        Pick a setting and the values to try. The page runs the whole experiment once per value, one after another,
        starting from the settings on the left; everything else stays as it is.
      </p>
      {prefill && (
        <p className="hint" data-testid="values-from-link">
          Filled in from the link. Press Run sweep to measure it.
        </p>
      )}
      <SweepFields
        setting={form.setting}
        values={form.values}
        issues={issues}
        plan={planned.plan}
        config={config}
        onSetting={form.chooseSetting}
        onValues={form.editValues}
      />
      <SweepIssues
        issues={issues}
        testId="values-issues"
        title={
          form.linkIssues.length > 0 ? "This link's sweep cannot run as it is:" : 'Fix these values to run the sweep:'
        }
      />
      <SweepButtons
        id="values"
        runLabel="Run sweep"
        blocked={blocked}
        active={active}
        cancelling={sweep?.status === 'cancelling'}
        onRun={() => planned.plan && onStart('values', config, planned.plan)}
        onCancel={onCancel}
      />
      <SweepStatus sweep={sweep} run={run} />
      <SweepResults data={data} sweep={sweep} palette={palette} models={models} />
      <SweepExport
        sweep={sweep}
        preset={settings.base}
        stem={sweep ? `sweep-${sweep.plan.setting}` : 'sweep'}
        figure={figure}
      />
    </section>
  );
});
