/**
 * Explore: the "what if?" questions answered in the page. Three kinds of sweep (one setting, which
 * layers must be shared, chains), each running the experiment once per value through the page's
 * engine, one after another. A sweep link fills the panels in; it never starts a run.
 */
import { useCallback, useState } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import { sweepToQuery, type SweepPlan } from '../../experiment/sweep/sweep';
import { mitigationWords } from '../common/mitigation';
import type { Palette } from '../common/palette';
import { isTaught, TRAIT_LABELS } from '../common/trait';
import { isActive, type RunState } from '../state/runState';
import type { Settings } from '../state/settings';
import { sweepPrefill } from '../state/sweepLink';
import { activeSweep, type SweepKind, type SweepState } from '../state/sweepState';
import type { EngineActions } from '../state/useEngine';
import { writeQuery } from '../state/useUrlConfig';
import { ChainPanel } from './ChainPanel';
import { LayersPanel } from './LayersPanel';
import { SweepPanel } from './SweepPanel';

interface Props {
  settings: Settings;
  run: RunState | null;
  /** The sweeps the engine ran or runs (UiState.sweeps). */
  sweeps: SweepState;
  engine: EngineActions;
  palette: Palette;
}

/** The trait and mitigation every run here starts with, when they are not the plain experiment's. */
function BaseNote({ config }: { config: ExperimentConfig }) {
  const mitigation = mitigationWords(config);
  const taught = isTaught(config.trait);
  if (!mitigation && !taught) return null;
  return (
    <p className="hint" data-testid="explore-base">
      Every run here starts with
      {taught && (
        <>
          {' '}
          the teacher&apos;s trait <strong>{TRAIT_LABELS[config.trait]}</strong> (&ldquo;Change one setting&rdquo; plots
          its measure; the layers and chains, test accuracy)
        </>
      )}
      {taught && mitigation && ' and'}
      {mitigation && (
        <>
          {' '}
          the mitigation <strong>{mitigation}</strong>
        </>
      )}
      .
    </p>
  );
}

export function Explore({ settings, run, sweeps: state, engine, palette }: Props) {
  const [prefill] = useState(() => sweepPrefill(window.location.search));
  const busy = isActive(run) || activeSweep(state) !== null;
  const preset = settings.base;
  const start = engine.startSweep;
  const onStart = useCallback(
    (kind: SweepKind, base: ExperimentConfig, plan: SweepPlan) => {
      start(kind, base, plan);
      // The link now reproduces this sweep; a later change of settings writes the settings alone.
      writeQuery(sweepToQuery(base, preset, plan));
    },
    [start, preset],
  );
  const common = { settings, busy, onStart, onCancel: engine.cancel, palette };
  const runFor = (kind: SweepKind) => (state.latest === kind && activeSweep(state) ? run : null);
  const prefillFor = (kind: SweepKind) => (prefill?.kind === kind ? prefill : null);

  return (
    <section className="explore" aria-labelledby="explore-title">
      <h2 id="explore-title">Explore: what if?</h2>
      <p className="lead">
        Change one thing and see how the hidden signal responds. Each question runs the whole experiment several times,
        one after another, with the settings on the left; the story above follows each run as it trains.
      </p>
      <BaseNote config={settings.config} />
      <div className="explore-grid">
        <SweepPanel {...common} sweep={state.sweeps.values} run={runFor('values')} prefill={prefillFor('values')} />
        <LayersPanel {...common} sweep={state.sweeps.layers} run={runFor('layers')} prefill={prefillFor('layers')} />
        <ChainPanel {...common} sweep={state.sweeps.chain} run={runFor('chain')} prefill={prefillFor('chain')} />
      </div>
    </section>
  );
}
