/**
 * The page: the story of the experiment in four stages and why it happens, the init switch, the run
 * controls and the settings, then the "what if?" sweeps (Explore). State comes from two hooks — the engine's (useEngine) and the
 * settings' (useUrlConfig) — and flows down; no component here touches a tensor.
 */
import { useCallback, useState } from 'react';
import type { ConditionName, CurvePoint } from '../experiment/results';
import type { EngineConnection } from '../worker/client';
import { AlignmentCharts } from './story/AlignmentCharts';
import { BackendBadge } from './hero/BackendBadge';
import { Controls } from './settings/Controls';
import { ErrorBanner } from './hero/ErrorBanner';
import { Explore } from './explore/Explore';
import { ExportButtons } from './export/ExportButtons';
import { InitSwitch } from './hero/InitSwitch';
import { NoiseStage } from './story/NoiseStage';
import { ProgressPanel } from './hero/ProgressPanel';
import { ResultStage } from './story/ResultStage';
import { RunButtons } from './hero/RunButtons';
import { StudentStage } from './story/StudentStage';
import { TeacherStage } from './story/TeacherStage';
import { TheoremStage } from './story/TheoremStage';
import { WhyItMatters } from './story/WhyItMatters';
import { usePalette } from './common/palette';
import { isActive } from './state/runState';
import { useEngine } from './state/useEngine';
import { useUrlConfig } from './state/useUrlConfig';

const NO_POINTS: readonly CurvePoint[] = [];

/** The student the page features for each position of the switch. */
export function featuredStudent(shared: boolean): ConditionName {
  return shared ? 'student_aux' : 'cross_aux';
}

export function App({ connection }: { connection: EngineConnection }) {
  const [engine, actions] = useEngine(connection);
  const [settings, settingsActions] = useUrlConfig();
  const [shared, setShared] = useState(true);
  const palette = usePalette();

  const run = engine.run;
  const featured = featuredStudent(shared);
  // The pictures follow the run on screen; before any run, the settings that Run would use.
  const shown = run?.config ?? settings.config;
  const config = settings.config;
  const blocked = settings.issues.length > 0;
  const start = actions.start;
  const onRun = useCallback(() => {
    if (!blocked) start(config);
  }, [blocked, config, start]);

  return (
    <div className="app">
      <header className="top">
        <div>
          <h1>Subliminal</h1>
          <p className="tagline">Watch a neural network learn to read digits it never saw, right here in your browser.</p>
        </div>
        <BackendBadge choice={engine.backend} />
      </header>
      <main>
        <section className="hero" aria-label="Run the experiment">
          <p className="lead">
            A <strong>teacher</strong> network learns to read handwritten digits. A <strong>student</strong> copies only
            the teacher&apos;s extra, never-trained outputs, on pure noise — and learns to read digits too, but only when
            it starts from the <strong>same random weights</strong> as the teacher.
          </p>
          <div className="hero-controls">
            <InitSwitch shared={shared} onChange={setShared} />
            <div className="run-area">
              <RunButtons
                running={isActive(run)}
                cancelling={run?.status === 'cancelling'}
                issues={settings.issues}
                onRun={onRun}
                onCancel={actions.cancel}
              />
              <ProgressPanel run={run} data={engine.data} models={config.models} />
            </div>
          </div>
          <ErrorBanner state={engine} actions={actions} />
        </section>
        <div className="layout">
          <Controls settings={settings} actions={settingsActions} />
          <div className="story">
            <TeacherStage
              points={run?.curves.teacher ?? NO_POINTS}
              digits={run?.digits ?? null}
              epochs={shown.teacherEpochs}
              auxLogits={shown.auxLogits}
              palette={palette}
            />
            <NoiseStage noise={run?.noise ?? null} auxLogits={shown.auxLogits} noiseKind={shown.noise} palette={palette} />
            <StudentStage
              points={run?.curves.distill ?? NO_POINTS}
              digits={run?.digits ?? null}
              featured={featured}
              epochs={shown.studentEpochs}
              mitigation={shown.mitigation}
              palette={palette}
            />
            <AlignmentCharts points={run?.curves.distill ?? NO_POINTS} featured={featured} epochs={shown.studentEpochs} palette={palette} />
            <ResultStage result={run?.result ?? null} featured={featured} palette={palette} />
            <TheoremStage result={run?.theorem ?? run?.result?.theorem ?? null} ended={run !== null && !isActive(run)} palette={palette} />
          </div>
        </div>
        <ExportButtons result={run?.result ?? null} featured={featured} palette={palette} />
        <Explore settings={settings} run={run} engine={actions} palette={palette} />
        <WhyItMatters />
      </main>
      <footer>
        <p>
          Reproduces the MNIST experiment of Cloud, Le, Chua et al., <cite>Language models transmit behavioural traits
          through hidden signals in data</cite>, Nature 652, 615–621 (2026),{' '}
          <a href="https://arxiv.org/abs/2507.14805">arXiv 2507.14805</a>. Everything runs on this device; nothing is sent
          anywhere.
        </p>
      </footer>
    </div>
  );
}
