/**
 * "Which layers must be shared?" (arXiv 2605.23645): the same-init students take some layers from a
 * fresh random init and the rest from the teacher's start; one run per combination of fresh layers.
 */
import { memo, useCallback, useMemo } from 'react';
import { planSweep } from '../../experiment/sweep/sweep';
import { layerBars, layerVerdict } from './layerBars';
import { layerFigureSvg } from './sweepFigures';
import { isSweepActive, type SweepRun } from '../state/sweepState';
import { layerCount, sweepBlocked } from './sweepWords';
import { LayerChart } from './LayerChart';
import { LayerCaption, LayerLegend } from './LayerLegend';
import { SweepButtons } from './SweepButtons';
import { SweepExport } from './SweepExport';
import { SweepIssues } from './SweepIssues';
import type { PanelProps } from './panelProps';
import { SweepStatus } from './SweepStatus';
import { SweepTable } from './SweepTable';

/** The layers between the first and the output layer, in words ("layer 2 is hidden, "). */
function hiddenWords(layers: number): string {
  if (layers <= 2) return '';
  if (layers === 3) return 'layer 2 is hidden, ';
  return `layers 2 to ${layers - 1} are hidden, `;
}

export const LayersPanel = memo(function LayersPanel({
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
  const planned = useMemo(() => planSweep(config, 'freshLayers=all'), [config]);
  const layers = sweep ? layerCount(sweep) : config.hidden.length + 1;
  const bars = useMemo(
    () =>
      sweep ? layerBars(sweep.plan.values, sweep.points, layers) : layerBars(planned.plan?.values ?? [], [], layers),
    [sweep, planned.plan, layers],
  );
  const verdict = layerVerdict(bars, layers);
  const figure = useCallback((s: SweepRun) => layerFigureSvg(s, palette), [palette]);
  const active = isSweepActive(sweep);
  const blocked = sweepBlocked({ settingsIssues: settings.issues.length, planIssues: planned.issues.length, busy });
  const runs = planned.plan?.values.length ?? 2 ** layers;
  const measured = !!sweep && sweep.points.length > 0;

  return (
    <section className="explore-panel" aria-labelledby="explore-layers-title">
      <h3 id="explore-layers-title">Which layers must be shared?</h3>
      <p>
        The network has {layers} layers of weights: layer 1 reads the 784 pixels, {hiddenWords(layers)}layer {layers} is
        the output layer, which gives the 10 digit scores and the extra outputs. Here the same-start student copies the
        teacher&apos;s starting weights for some layers and draws the others afresh. One run per combination: {runs}{' '}
        runs of {config.models} model
        {config.models === 1 ? '' : 's'}.
      </p>
      {prefill && (
        <p className="hint" data-testid="layers-from-link">
          Filled in from the link. Press Run to measure it.
        </p>
      )}
      <SweepIssues issues={planned.issues} testId="layers-issues" title="This comparison cannot run as it is:" />
      <SweepButtons
        id="layers"
        runLabel={`Run all ${runs} combinations`}
        blocked={blocked}
        active={active}
        cancelling={sweep?.status === 'cancelling'}
        onRun={() => planned.plan && onStart('layers', config, planned.plan)}
        onCancel={onCancel}
      />
      <SweepStatus sweep={sweep} run={run} />
      {verdict && (
        <p className="verdict" data-testid="layers-verdict">
          {verdict}
        </p>
      )}
      <LayerChart bars={bars} palette={palette} />
      <LayerLegend palette={palette} />
      <LayerCaption measured={measured} />
      {sweep && (
        <SweepTable
          testId="layers-table"
          heading="layers"
          caption="Mean test accuracy, ± the 95% interval (none for one model)."
          rows={bars.map((bar) => ({ ...bar, label: bar.words }))}
        />
      )}
      <SweepExport sweep={sweep} preset={settings.base} stem="sweep-layers" figure={figure} />
    </section>
  );
});
