/**
 * The run's controls on the first screen: what keeps Run from starting, the data fetched while the
 * page sits idle, Run itself (ending any replay), pause and resume, stopping at stages, and Replay.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useReplayChoice } from '../replay/useReplayChoice';
import { runIssues } from './runIssues';
import type { KeptRun, UiState } from './runState';
import type { Settings } from './settings';
import type { EngineActions } from './useEngine';

export function useRunControls(
  engine: UiState,
  actions: EngineActions,
  settings: Settings,
  newestSaved: KeptRun | undefined,
) {
  const run = engine.run;
  const config = settings.config;
  const issues = useMemo(() => runIssues(settings, engine.backend?.limits), [settings, engine.backend]);
  const blocked = issues.length > 0;
  const prepare = actions.prepare;
  // The data Run would need is fetched while the page sits idle (and helpers made ready with it).
  useEffect(() => {
    if (!blocked) prepare(config);
  }, [blocked, config, prepare]);
  const replay = useReplayChoice(run, newestSaved);
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
  return { issues, blocked, replay, stopAtStages, setStopAtStages, onRun, onPauseToggle, replaySaved };
}
export type RunControls = ReturnType<typeof useRunControls>;
