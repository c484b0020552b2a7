/**
 * The page: the first screen (Hero: switch, Run, progress, verdict, featured chart), then the story
 * in five stages beside the settings, then the "what if?" sweeps (Explore). State comes from two hooks — the engine's (useEngine) and the
 * settings' (useUrlConfig) — and flows down; no component here touches a tensor.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CurvePoint, ExperimentResult } from '../experiment/results';
import type { EngineConnection } from '../worker/client';
import { AlignmentCharts } from './story/AlignmentCharts';
import { BackendBadge } from './common/BackendBadge';
import { Controls } from './settings/Controls';
import { ErrorBanner } from './hero/ErrorBanner';
import { Explore } from './explore/Explore';
import { ExportButtons } from './export/ExportButtons';
import { NoiseStage } from './story/NoiseStage';
import { resultFigureSvg } from './story/resultFigure';
import { ResultStage } from './story/ResultStage';
import { StudentStage } from './story/StudentStage';
import { TeacherStage } from './story/TeacherStage';
import { TheoremStage } from './story/TheoremStage';
import { WhyItMatters } from './story/WhyItMatters';
import { PanelBoundary } from './common/ErrorBoundary';
import { Fold } from './common/Fold';
import { DrawDigit } from './draw/DrawDigit';
import { usePalette } from './common/palette';
import { useMediaQuery } from './common/useMediaQuery';
import { Hero } from './hero/Hero';
import { PreviousRuns } from './history/PreviousRuns';
import { RestoredNote } from './history/RestoredNote';
import { useLeaveGuard } from './history/useLeaveGuard';
import { useRunHistory } from './history/useRunHistory';
import { resultJson } from './export/export';
import { PresenterButton } from './hero/PresenterButton';
import { runIssues } from './state/runIssues';
import { isActive } from './state/runState';
import { useEngine } from './state/useEngine';
import type { KeptRun } from './state/runState';
import { KeyHelp } from './hero/KeyHelp';
import { UpdatePrompt } from './common/UpdatePrompt';
import { useLecturerKeys } from './hero/useLecturerKeys';
import { useReplayChoice } from './replay/useReplayChoice';
import { usePresenter } from './state/usePresenter';
import { useUrlConfig } from './state/useUrlConfig';

const NO_POINTS: readonly CurvePoint[] = [];

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
  // Phones fold the settings away under the first screen; so does presenter mode.
  const wide = useMediaQuery('(min-width: 700px)', true);

  const run = engine.run;
  const history = useRunHistory(run, actions.restore);
  useLeaveGuard(isActive(run));
  const featured = featuredStudent(shared);
  // The pictures follow the run on screen; before any run, the settings that Run would use.
  const shown = run?.config ?? settings.config;
  const config = settings.config;
  const issues = useMemo(() => runIssues(settings, engine.backend?.limits), [settings, engine.backend]);
  const blocked = issues.length > 0;
  const resultFigure = useCallback(
    (result: ExperimentResult) => resultFigureSvg(result, featured, palette),
    [featured, palette],
  );
  const prepare = actions.prepare;
  // The data Run would need is fetched while the page sits idle (and helpers made ready with it).
  useEffect(() => {
    if (!blocked) prepare(config);
  }, [blocked, config, prepare]);
  const replay = useReplayChoice(run, history.runs[0]);
  const [stopAtStages, setStopAtStages] = useState(false);
  const start = actions.start;
  const endReplay = replay.stop;
  const onRun = useCallback(() => {
    if (blocked) return;
    endReplay();
    start(config, stopAtStages);
  }, [blocked, config, start, stopAtStages, endReplay]);
  // The actions themselves ignore a run that cannot be paused or resumed.
  const onPauseToggle = useCallback(() => (run?.paused ? actions.resume() : actions.pause()), [run, actions]);
  const { replaySaved: playSaved } = replay;
  const replaySaved = useCallback(
    (saved: KeptRun) => {
      playSaved(saved);
      window.scrollTo({ top: 0, behavior: 'smooth' }); // the replay plays on the first screen
    },
    [playSaved],
  );
  const keys = useLecturerKeys({
    onPauseToggle,
    onRun: blocked || isActive(run) ? undefined : onRun,
    onFlip: () => setShared((now) => !now),
  });

  return (
    <div className={presenting ? 'app presenting' : 'app'}>
      <header className="top">
        <h1>Subliminal</h1>
        <p className="tagline">A network learns to read digits it never saw, right here in your browser.</p>
        <BackendBadge choice={engine.backend} />
        <PresenterButton presenting={presenting} onToggle={togglePresenting} />
        <KeyHelp open={keys.helpOpen} onOpen={keys.openHelp} onClose={keys.closeHelp} />
        <UpdatePrompt busy={isActive(run)} />
      </header>
      <main>
        <PanelBoundary name="the first screen">
          <Hero
            run={replay.frame ?? run}
            live={run}
            onPauseToggle={onPauseToggle}
            stopAtStages={stopAtStages}
            onStopAtStages={setStopAtStages}
            onReplay={replay.replay}
            onEndReplay={endReplay}
            data={engine.data}
            config={config}
            issues={issues}
            shared={shared}
            featured={featured}
            onShared={setShared}
            onRun={onRun}
            onCancel={actions.cancel}
            palette={palette}
          >
            <RestoredNote run={run} />
            {replay.problem && <p className="replay-problem">Replay: {replay.problem}</p>}
            <ErrorBanner state={engine} actions={actions} />
          </Hero>
        </PanelBoundary>
        <PanelBoundary name="draw a digit">
          <DrawDigit engine={engine} actions={actions} featured={featured} />
        </PanelBoundary>
        <div className="layout">
          <Fold className="settings-fold" summary="Settings" defaultOpen={wide && !presenting}>
            <PanelBoundary name="Settings">
              <Controls settings={settings} actions={settingsActions} />
            </PanelBoundary>
          </Fold>
          <div className="story">
            <PanelBoundary name="stage 1, the teacher">
              <TeacherStage
                points={run?.curves.teacher ?? NO_POINTS}
                final={run?.result?.conditions.teacher.mean}
                digits={run?.digits ?? null}
                epochs={shown.teacherEpochs}
                hidden={shown.hidden}
                auxLogits={shown.auxLogits}
                palette={palette}
              />
            </PanelBoundary>
            <PanelBoundary name="stage 2, the noise">
              <NoiseStage
                noise={run?.noise ?? null}
                auxLogits={shown.auxLogits}
                noiseKind={shown.noise}
                palette={palette}
              />
            </PanelBoundary>
            <PanelBoundary name="stage 3, the students">
              <StudentStage
                points={run?.curves.distill ?? NO_POINTS}
                final={run?.result?.conditions[featured].mean}
                digits={run?.digits ?? null}
                featured={featured}
                epochs={shown.studentEpochs}
                hidden={shown.hidden}
                auxLogits={shown.auxLogits}
                distillLoss={shown.distillLoss}
                mitigation={shown.mitigation}
                palette={palette}
              />
            </PanelBoundary>
            <PanelBoundary name="how the students move">
              <AlignmentCharts
                points={run?.curves.distill ?? NO_POINTS}
                featured={featured}
                epochs={shown.studentEpochs}
                palette={palette}
              />
            </PanelBoundary>
            <PanelBoundary name="stage 4, the result">
              <ResultStage result={run?.result ?? null} featured={featured} palette={palette} />
            </PanelBoundary>
            <PanelBoundary name="stage 5, why it happens">
              <TheoremStage
                result={run?.theorem ?? run?.result?.theorem ?? null}
                ended={run !== null && !isActive(run)}
                palette={palette}
              />
            </PanelBoundary>
          </div>
        </div>
        <PanelBoundary name="Export">
          <ExportButtons result={run?.result ?? null} figure={resultFigure} />
        </PanelBoundary>
        <PanelBoundary name="Previous runs">
          <PreviousRuns
            runs={history.runs}
            notice={history.notice}
            busy={isActive(run)}
            onReopen={actions.restore}
            onReplay={replaySaved}
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
      <footer>
        <p>
          Reproduces the MNIST experiment of Cloud, Le, Chua et al.,{' '}
          <cite>Language models transmit behavioural traits through hidden signals in data</cite>, Nature 652, 615–621
          (2026), <a href="https://arxiv.org/abs/2507.14805">arXiv 2507.14805</a>. Everything runs on this device;
          nothing is sent anywhere.
        </p>
      </footer>
    </div>
  );
}
