/**
 * The first screen as the page wires it: Hero shows the run on screen (a replay's frame, else the
 * live run) with the run's controls, and under it what the page has to say about that run.
 */
import type { ExperimentConfig } from '../../experiment/config';
import { PanelBoundary } from '../common/ErrorBoundary';
import type { Palette } from '../common/palette';
import type { UiState } from '../state/runState';
import type { EngineActions } from '../state/useEngine';
import type { RunControls } from '../state/useRunControls';
import { ErrorBanner } from './ErrorBanner';
import { Hero } from './Hero';
// After Hero: hero.css comes before history.css in the page's cascade.
import { RestoredNote } from '../history/RestoredNote';
import type { TraitControl } from './useTraitControl';

interface Props {
  engine: UiState;
  actions: EngineActions;
  controls: RunControls;
  /** What Run would run. */
  config: ExperimentConfig;
  shared: boolean;
  featured: 'student_aux' | 'cross_aux';
  onShared: (shared: boolean) => void;
  /** The trait setting as the form holds it, and choosing another. */
  trait: TraitControl;
  palette: Palette;
}

export function FirstScreen({ engine, actions, controls, config, shared, featured, onShared, trait, palette }: Props) {
  const { run } = engine;
  const { replay } = controls;
  return (
    <PanelBoundary name="the first screen">
      <Hero
        run={replay.frame ?? run}
        live={run}
        onPauseToggle={controls.onPauseToggle}
        stopAtStages={controls.stopAtStages}
        onStopAtStages={controls.setStopAtStages}
        onReplay={replay.replay}
        onEndReplay={replay.stop}
        data={engine.data}
        config={config}
        issues={controls.issues}
        shared={shared}
        featured={featured}
        onShared={onShared}
        trait={trait}
        onRun={controls.onRun}
        onCancel={actions.cancel}
        palette={palette}
      >
        <RestoredNote run={run} />
        {replay.problem && <p className="replay-problem">Replay: {replay.problem}</p>}
        <ErrorBanner state={engine} actions={actions} />
      </Hero>
    </PanelBoundary>
  );
}
