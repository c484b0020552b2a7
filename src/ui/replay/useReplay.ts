/**
 * Plays a finished run back on the first screen: a frame every tenth of a second for about ten
 * seconds (replayFrame), then its final state until stopped. A live run goes on underneath.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RunState } from '../state/runState';
import { REPLAY_SECONDS, replayFrame, type ReplaySource } from './replayFrame';

const FRAME_MS = 100;

export interface Replay {
  /** The run as the replay shows it now; null when nothing is replayed. */
  frame: RunState | null;
  play(source: ReplaySource): void;
  stop(): void;
}

export function useReplay(seconds = REPLAY_SECONDS): Replay {
  const [playing, setPlaying] = useState<{ source: ReplaySource; startedAt: number } | null>(null);
  const [frame, setFrame] = useState<RunState | null>(null);

  useEffect(() => {
    if (!playing) return;
    const tick = () => {
      const t = (performance.now() - playing.startedAt) / 1000 / seconds;
      setFrame(replayFrame(playing.source, t));
      if (t >= 1) clearInterval(timer);
    };
    const timer = setInterval(tick, FRAME_MS);
    tick();
    return () => clearInterval(timer);
  }, [playing, seconds]);

  const play = useCallback((source: ReplaySource) => setPlaying({ source, startedAt: performance.now() }), []);
  const stop = useCallback(() => {
    setPlaying(null);
    setFrame(null);
  }, []);
  return { frame, play, stop };
}
