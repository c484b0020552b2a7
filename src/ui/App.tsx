/**
 * The page: the first screen (Hero: switch, Run, progress, verdict, featured chart), then the story
 * in five stages beside the settings, then the "what if?" sweeps (Explore). State comes from two hooks — the engine's (useEngine) and the
 * settings' (useUrlConfig) — and flows down; no component here touches a tensor.
 */
import { useState } from 'react';
// First, and in this order: the order the page's CSS files reach the bundle (story, draw, hero,
// history; main.tsx adds styles.css last), which the cascade depends on.
import { StoryLayout } from './story/StoryLayout';
import { DrawDigit } from './draw/DrawDigit';
import { FirstScreen } from './hero/FirstScreen';
import { PreviousRuns } from './history/PreviousRuns';
import type { EngineConnection } from '../worker/client';
import { PanelBoundary } from './common/ErrorBoundary';
import { Fold } from './common/Fold';
import { usePalette } from './common/palette';
import { Explore } from './explore/Explore';
import { resultJson } from './export/export';
import { ExportButtons } from './export/ExportButtons';
import { PageHeader } from './hero/PageHeader';
import { useLecturerKeys } from './hero/useLecturerKeys';
import { useTraitControl } from './hero/useTraitControl';
import { useLeaveGuard } from './history/useLeaveGuard';
import { useRunHistory } from './history/useRunHistory';
import { isActive } from './state/runState';
import { useEngine } from './state/useEngine';
import { usePresenter } from './state/usePresenter';
import { useRunControls } from './state/useRunControls';
import { useUrlConfig } from './state/useUrlConfig';
import { PageFooter } from './story/PageFooter';
import { useResultFigure } from './story/resultFigure';
import { WhyItMatters } from './story/WhyItMatters';

/** The student the page features for each position of the switch. */
export function featuredStudent(shared: boolean): 'student_aux' | 'cross_aux' {
  return shared ? 'student_aux' : 'cross_aux';
}

export function App({ connection }: { connection: EngineConnection }) {
  const [engine, actions] = useEngine(connection);
  const [settings, settingsActions] = useUrlConfig();
  const [presenting, togglePresenting] = usePresenter();
  const [shared, setShared] = useState(true);
  const palette = usePalette();
  const trait = useTraitControl(settings, settingsActions);

  const run = engine.run;
  const history = useRunHistory(run, actions.restore);
  useLeaveGuard(isActive(run));
  const featured = featuredStudent(shared);
  const controls = useRunControls(engine, actions, settings, history.runs[0]);
  const resultFigure = useResultFigure(featured, palette);
  const keys = useLecturerKeys({
    onPauseToggle: controls.onPauseToggle,
    onRun: controls.blocked || isActive(run) ? undefined : controls.onRun,
    onFlip: () => setShared((now) => !now),
  });

  return (
    <div className={presenting ? 'app presenting' : 'app'}>
      <PageHeader
        backend={engine.backend}
        presenting={presenting}
        togglePresenting={togglePresenting}
        keys={keys}
        busy={isActive(run)}
      />
      <main>
        <FirstScreen
          engine={engine}
          actions={actions}
          controls={controls}
          config={settings.config}
          shared={shared}
          featured={featured}
          onShared={setShared}
          trait={trait}
          palette={palette}
        />
        <PanelBoundary name="draw a digit">
          <DrawDigit engine={engine} actions={actions} featured={featured} />
        </PanelBoundary>
        <StoryLayout
          settings={settings}
          settingsActions={settingsActions}
          presenting={presenting}
          run={run}
          featured={featured}
          palette={palette}
        />
        <PanelBoundary name="Export">
          <ExportButtons result={run?.result ?? null} figure={resultFigure} />
        </PanelBoundary>
        <PanelBoundary name="Previous runs">
          <PreviousRuns
            runs={history.runs}
            notice={history.notice}
            busy={isActive(run)}
            onReopen={actions.restore}
            onReplay={controls.replaySaved}
            onDelete={history.remove}
            unreadable={history.unreadable}
            deleted={history.deleted}
            onUndo={history.undo}
            resultJson={resultJson}
          />
        </PanelBoundary>
        <Fold className="explore-fold" summary="Explore: what if?" defaultOpen={!presenting}>
          <PanelBoundary name="Explore">
            <Explore settings={settings} run={run} sweeps={engine.sweeps} engine={actions} palette={palette} />
          </PanelBoundary>
        </Fold>
        <WhyItMatters />
      </main>
      <PageFooter />
    </div>
  );
}
