/**
 * Chains: the student becomes the teacher. For each m, a teacher learns digits, then a chain of
 * generations each imitates the one before on noise only; the chart follows the trait down the chain.
 */
import { memo, useCallback } from 'react';
import { chainFigureSvg } from './sweepFigures';
import { isSweepActive, type SweepRun } from '../state/sweepState';
import { sweepBlocked } from './sweepWords';
import { ChainChart } from './ChainChart';
import { ChainFields } from './ChainFields';
import { ChainCaption, ChainLegend } from './ChainLegend';
import { ChainTable } from './ChainTable';
import { SweepButtons } from './SweepButtons';
import { SweepExport } from './SweepExport';
import { SweepIssues } from './SweepIssues';
import type { PanelProps } from './panelProps';
import { SweepStatus } from './SweepStatus';
import { useChainForm } from './useChainForm';

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
  const config = settings.config;
  const form = useChainForm(config, sweep, prefill);
  const { generations, planned, issues, data } = form;
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
      <ChainFields
        generationsText={form.generationsText}
        issue={form.issue}
        values={form.values}
        onGenerations={form.editGenerations}
        onValues={form.editValues}
      />
      <SweepIssues
        issues={issues}
        testId="chain-issues"
        title={
          form.linkIssues.length > 0
            ? "This link's chains cannot run as they are:"
            : 'Fix these values to run the chains:'
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
      <ChainLegend data={data} palette={palette} />
      <ChainCaption generations={data.generations} measured={measured} />
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
