/**
 * Chains: the student becomes the teacher. For each m, a teacher learns digits, then a chain of
 * generations each imitates the one before on noise only; the chart follows the trait down the chain.
 */
import { memo, useCallback, useMemo, useState } from 'react';
import { planSweep } from '../../experiment/sweep/sweep';
import { chainData } from './chainRows';
import { COMMUNITY_CHAIN, COMMUNITY_LABEL } from './community';
import { percent } from '../common/format';
import { chainFigureSvg } from './sweepFigures';
import { CHAIN_DEFAULTS } from '../state/sweepLink';
import { isSweepActive, type SweepRun } from '../state/sweepState';
import { sweepBlocked } from './sweepWords';
import { CHAIN_DASHES, ChainChart, seriesColor } from './ChainChart';
import { ChainTable } from './ChainTable';
import { SweepButtons } from './SweepButtons';
import { SweepExport } from './SweepExport';
import { SweepIssues } from './SweepIssues';
import type { PanelProps } from './SweepPanel';
import { SweepStatus } from './SweepStatus';

const { minGenerations, maxGenerations } = CHAIN_DEFAULTS;

/** The generations field as a number, or why not. */
export function readGenerations(text: string): { generations: number | null; issue: string | null } {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < minGenerations || value > maxGenerations) {
    return {
      generations: null,
      issue: `generations = "${text}": allowed is a whole number from ${minGenerations} to ${maxGenerations}`,
    };
  }
  return { generations: value, issue: null };
}

export const ChainPanel = memo(function ChainPanel({
  settings,
  sweep,
  busy,
  run,
  onStart,
  onCancel,
  palette,
  prefill,
}: PanelProps) {
  const [generationsText, setGenerationsText] = useState(String(prefill?.generations ?? CHAIN_DEFAULTS.generations));
  const [values, setValues] = useState(prefill?.values ?? CHAIN_DEFAULTS.values);
  const [linkIssues, setLinkIssues] = useState<readonly string[]>(prefill?.issues ?? []);
  const config = settings.config;
  const { generations, issue } = readGenerations(generationsText);
  const planned = useMemo(() => {
    if (generations === null) return { plan: null, issues: [] };
    return planSweep({ ...config, generations }, `auxLogits=${values}`);
  }, [config, generations, values]);
  const issues = linkIssues.length > 0 ? linkIssues : [...(issue ? [issue] : []), ...planned.issues];
  const data = useMemo(() => {
    if (sweep) return chainData(sweep.plan.values, sweep.points, sweep.base.generations);
    return chainData(planned.plan?.values ?? [], [], generations ?? CHAIN_DEFAULTS.generations);
  }, [sweep, planned.plan, generations]);
  const figure = useCallback((s: SweepRun) => chainFigureSvg(s, palette), [palette]);
  const active = isSweepActive(sweep);
  const blocked = sweepBlocked({ settingsIssues: settings.issues.length, planIssues: issues.length, busy });
  const measured = !!sweep && sweep.points.length > 0;
  const unreported = measured && sweep.points.some((p) => !p.result.chain || p.result.chain.length === 0);

  return (
    <section className="explore-panel" aria-labelledby="explore-chain-title">
      <h3 id="explore-chain-title">Chains: the student becomes the teacher</h3>
      <p>
        Once a student has picked up digits through the extra outputs alone, it can teach a new student the same way,
        and that one the next. Every student starts from the original teacher&apos;s random weights and only ever sees
        the previous generation&apos;s extra outputs on noise.
      </p>
      {prefill && (
        <p className="hint" data-testid="chain-from-link">
          Filled in from the link. Press Run chains to measure it.
        </p>
      )}
      <div className="fields sweep-fields">
        <div className={`field${issue ? ' invalid' : ''}`}>
          <label htmlFor="chain-generations">Generations</label>
          <input
            id="chain-generations"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={generationsText}
            aria-invalid={issue !== null}
            aria-describedby="chain-generations-hint"
            onChange={(e) => {
              setGenerationsText(e.target.value);
              setLinkIssues([]);
            }}
          />
          <small id="chain-generations-hint" className="hint">
            students in a row, each taught by the one before: {minGenerations}–{maxGenerations}
          </small>
        </div>
        <div className="field">
          <label htmlFor="chain-values">Extra outputs m (comma-separated)</label>
          <input
            id="chain-values"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={values}
            aria-describedby="chain-values-hint"
            onChange={(e) => {
              setValues(e.target.value);
              setLinkIssues([]);
            }}
          />
          <small id="chain-values-hint" className="hint">
            one chain per value, e.g. {CHAIN_DEFAULTS.values}
          </small>
        </div>
      </div>
      <SweepIssues
        issues={issues}
        testId="chain-issues"
        title={
          linkIssues.length > 0 ? "This link's chains cannot run as they are:" : 'Fix these values to run the chains:'
        }
      />
      <SweepButtons
        id="chain"
        runLabel="Run chains"
        blocked={blocked}
        active={active}
        cancelling={sweep?.status === 'cancelling'}
        onRun={() => planned.plan && generations !== null && onStart('chain', { ...config, generations }, planned.plan)}
        onCancel={onCancel}
      />
      <SweepStatus sweep={sweep} run={run} />
      <ChainChart data={data} palette={palette} />
      <ul className="legend">
        {data.series.map((series, i) => (
          <li key={series.key}>
            <span
              className={CHAIN_DASHES[i % CHAIN_DASHES.length] ? 'swatch swatch-dashed' : 'swatch'}
              style={
                CHAIN_DASHES[i % CHAIN_DASHES.length]
                  ? { borderColor: seriesColor(palette, i) }
                  : { background: seriesColor(palette, i) }
              }
              aria-hidden="true"
            />
            {series.label}
          </li>
        ))}
        <li>
          <span className="swatch" style={{ background: palette.paper }} aria-hidden="true" />
          {COMMUNITY_LABEL}
        </li>
      </ul>
      <p className="caption" data-testid="chain-caption">
        {measured
          ? 'Generation 0 is the original teacher, trained on digits; each later point is the mean test accuracy of that generation’s student. '
          : `What will be measured: for each m, a teacher learns digits, then ${data.generations} generations of students each copy the one before; the chart will show how many test digits each generation reads, starting from the teacher (generation 0). `}
        The trait fades with every hand-over, like a message passed along a line. In the community&apos;s runs of the
        paper&apos;s recipe, more extra outputs (larger m) carried more of it, so the chain lasted longer; small, quick
        settings can lose most of it at the first hand-over. Faint grey: the {COMMUNITY_LABEL} chain,{' '}
        {COMMUNITY_CHAIN.map((v) => percent(v)).join(' → ')}, measured with the paper&apos;s exact recipe, so other
        presets land elsewhere.
      </p>
      {unreported && (
        <p className="hint" data-testid="chain-unreported">
          Some runs reported no chain, only their first generation.
        </p>
      )}
      {sweep && <ChainTable data={data} />}
      <SweepExport sweep={sweep} preset={settings.base} stem="chain-m" figure={figure} />
    </section>
  );
});
