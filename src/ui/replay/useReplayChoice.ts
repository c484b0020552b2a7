/**
 * What Replay plays, in one place: the run on screen once it is finished, else the newest saved
 * run, else the recording that ships with the page; any saved run from the list too.
 */
import { useCallback, useState } from 'react';
import { keptRun, type KeptRun, type RunState } from '../state/runState';
import { whenRan } from '../history/savedRun';
import { loadRecording } from './recorded';
import { useReplay } from './useReplay';

export interface ReplayChoice {
  /** The run as the replay shows it now; null when nothing is replayed. */
  frame: RunState | null;
  /** Why the recording could not be played, when it could not. */
  problem: string | null;
  replay(): void;
  replaySaved(saved: KeptRun): void;
  stop(): void;
}

const savedLabel = (saved: KeptRun) => `the run of ${whenRan(new Date(saved.ranAt))}`;

export function useReplayChoice(run: RunState | null, newestSaved: KeptRun | undefined): ReplayChoice {
  const { frame, play, stop } = useReplay();
  const [problem, setProblem] = useState<string | null>(null);
  const replaySaved = useCallback((saved: KeptRun) => play({ run: saved, label: savedLabel(saved) }), [play]);
  const replay = useCallback(() => {
    setProblem(null);
    if (run?.status === 'finished' && run.result)
      return play({ run: keptRun(run), label: run.restoredFrom ? 'the run reopened' : 'this run' });
    if (newestSaved) return replaySaved(newestSaved);
    loadRecording()
      .then(play)
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, [run, newestSaved, play, replaySaved]);
  return { frame, problem, replay, replaySaved, stop };
}
