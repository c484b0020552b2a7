/**
 * "Change one setting": pick a setting and the values to try; the page runs the experiment once per
 * value from the current settings and draws the students' accuracy against the value, with the
 * community's numbers for the paper recipe where there are some.
 */
import { memo, useCallback, useMemo, useState } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import { planSweep, SWEEP_SETTINGS, type SweepPlan, type SweepSetting } from '../../experiment/sweep/sweep';
import { COMMUNITY_LABEL } from './community';
import type { Palette } from '../common/palette';
import type { RunState } from '../state/runState';
import type { Settings } from '../state/settings';
import { sweepFigureSvg } from './sweepFigures';
import { DEFAULT_VALUES, type SweepPrefill } from '../state/sweepLink';
import { sweepChartData, type SweepChartData } from './sweepRows';
import { isSweepActive, type SweepKind, type SweepRun } from '../state/sweepState';
import { layerCount, sweepBlocked } from './sweepWords';
import { SweepButtons } from './SweepButtons';
import { SweepIssues } from './SweepIssues';
import { SweepChart } from './SweepChart';
import { SweepExport } from './SweepExport';
import { SweepStatus } from './SweepStatus';
import { SweepTable } from './SweepTable';

export interface PanelProps {
  settings: Settings;
  /** This panel's latest sweep. */
  sweep: SweepRun | null;
  /** The engine or another sweep is running. */
  busy: boolean;
  /** The engine's run, while this panel's sweep is the one running (else null). */
  run: RunState | null;
  onStart: (kind: SweepKind, base: ExperimentConfig, plan: SweepPlan) => void;
  onCancel: () => void;
  palette: Palette;
  /** What a sweep link filled in for this panel. */
  prefill: SweepPrefill | null;
}

const SETTINGS = Object.keys(SWEEP_SETTINGS) as SweepSetting[];

function Caption({ data, models, measured }: { data: SweepChartData; models: number; measured: boolean }) {
  return (
    <p className="caption" data-testid="values-caption">
      {measured
        ? `Each point: the mean test accuracy of ${models} model${models === 1 ? '' : 's'} at that value, with its 95% interval. `
        : `What will be measured: for each value of ${SWEEP_SETTINGS[data.setting].label}, the whole experiment with ${models} model${models === 1 ? '' : 's'}; the points appear as each run finishes. `}
      Solid: the student that starts from the teacher&apos;s own random weights and copies only its extra outputs on
      noise. Dashed: the same student from different random weights, the control that should stay at chance.
      {data.community.length > 0 &&
        ` Grey diamonds, ${COMMUNITY_LABEL}: what others measured with the paper's exact recipe (m = 3, batch 1024, 5 + 5 epochs). They are for that recipe, so other presets land elsewhere: compare the shape, not the numbers.`}
    </p>
  );
}

function Legend({ palette, community }: { palette: Palette; community: boolean }) {
  return (
    <ul className="legend">
      <li>
        <span className="swatch" style={{ background: palette.condition.student_aux }} aria-hidden="true" />
        same-start student
      </li>
      <li>
        <span
          className="swatch swatch-dashed"
          style={{ borderColor: palette.condition.cross_aux }}
          aria-hidden="true"
        />
        different-start student
      </li>
      <li>
        <span className="swatch" style={{ background: palette.condition.teacher, opacity: 0.45 }} aria-hidden="true" />
        teacher
      </li>
      {community && (
        <li>
          <span className="swatch diamond" style={{ background: palette.paper }} aria-hidden="true" />
          {COMMUNITY_LABEL}
        </li>
      )}
    </ul>
  );
}

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
  const [setting, setSetting] = useState<SweepSetting>(prefill?.setting ?? 'auxLogits');
  const [values, setValues] = useState(prefill?.values ?? DEFAULT_VALUES.auxLogits);
  const [linkIssues, setLinkIssues] = useState<readonly string[]>(prefill?.issues ?? []);
  const config = settings.config;
  const planned = useMemo(() => planSweep(config, `${setting}=${values}`), [config, setting, values]);
  const data = useMemo(() => {
    if (sweep) return sweepChartData(sweep.plan.setting, sweep.plan.values, sweep.points, layerCount(sweep));
    return planned.plan
      ? sweepChartData(planned.plan.setting, planned.plan.values, [], config.hidden.length + 1)
      : null;
  }, [sweep, planned.plan, config.hidden.length]);
  const figure = useCallback((s: SweepRun) => sweepFigureSvg(s, palette), [palette]);

  const active = isSweepActive(sweep);
  const blocked = sweepBlocked({ settingsIssues: settings.issues.length, planIssues: planned.issues.length, busy });
  const issues = linkIssues.length > 0 ? linkIssues : planned.issues;
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
      <div className="fields sweep-fields">
        <div className="field">
          <label htmlFor="sweep-setting">Setting to vary</label>
          <select
            id="sweep-setting"
            value={setting}
            onChange={(e) => {
              const next = e.target.value as SweepSetting;
              setSetting(next);
              setValues(DEFAULT_VALUES[next]);
              setLinkIssues([]);
            }}
          >
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
            onChange={(e) => {
              setValues(e.target.value);
              setLinkIssues([]);
            }}
          />
          <small id="sweep-values-hint" className="hint">
            {setting === 'freshLayers'
              ? 'all = every combination, or sets such as none,1,1+2'
              : `e.g. ${DEFAULT_VALUES[setting]}`}
            {planned.plan &&
              ` · ${planned.plan.values.length} runs of ${config.models} model${config.models === 1 ? '' : 's'}`}
          </small>
        </div>
      </div>
      <SweepIssues
        issues={issues}
        testId="values-issues"
        title={linkIssues.length > 0 ? "This link's sweep cannot run as it is:" : 'Fix these values to run the sweep:'}
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
      {data ? (
        <>
          <SweepChart data={data} palette={palette} />
          <Legend palette={palette} community={data.community.length > 0} />
          <Caption data={data} models={models} measured={!!sweep && sweep.points.length > 0} />
          {sweep && (
            <SweepTable
              testId="values-table"
              heading={SWEEP_SETTINGS[data.setting].label}
              caption="Mean test accuracy, ± the 95% interval (none for one model)."
              rows={data.rows.map((row) => ({ ...row, label: row.lines.join(' ').trim() }))}
            />
          )}
        </>
      ) : (
        <p className="caption">The chart appears once the values can run.</p>
      )}
      <SweepExport
        sweep={sweep}
        preset={settings.base}
        stem={sweep ? `sweep-${sweep.plan.setting}` : 'sweep'}
        figure={figure}
      />
    </section>
  );
});
