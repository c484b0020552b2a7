/**
 * A finished run played back: the run as the page would have shown it at time t of a short replay
 * (the teacher's curve, then the students', then the verdict), so a class sees the whole story in
 * about ten seconds. Pure: the hook (useReplay) only moves t.
 */
import type { CurvePoint } from '../../experiment/results';
import type { Phase } from '../../experiment/events';
import { restoredRun, type KeptRun, type RunState } from '../state/runState';

export const REPLAY_SECONDS = 10;

/** Where the replay's time goes (fractions of it): the teacher learns, the students copy, the verdict. */
const TEACHER_ENDS = 0.35;
const STUDENTS_END = 0.85;
const FINAL_AT = 0.9;

/** What a replay is of, in words ("the run of 14:32, 2 Dec", "a run recorded on …"). */
export interface ReplaySource {
  run: KeptRun;
  label: string;
}

/** The first share of a curve's points, at least its first once the phase has begun. */
function revealed(points: readonly CurvePoint[], share: number): CurvePoint[] {
  if (share <= 0) return [];
  return points.slice(0, Math.max(1, Math.ceil(Math.min(1, share) * points.length)));
}

function phaseAt(t: number): Phase {
  if (t < TEACHER_ENDS) return 'teacher';
  if (t < STUDENTS_END) return 'distill';
  return 'evaluate';
}

/** The run at time `t` (0–1) of its replay; at 1 it is the finished run, as reopened. */
export function replayFrame(source: ReplaySource, t: number): RunState {
  const done = restoredRun(source.run);
  const replay = { label: source.label, t: Math.min(1, Math.max(0, t)) };
  if (replay.t >= 1) return { ...done, replay };
  const { curves } = done;
  const final = replay.t >= FINAL_AT;
  return {
    ...done,
    status: 'running',
    phase: phaseAt(replay.t),
    curves: {
      teacher: revealed(curves.teacher, replay.t / TEACHER_ENDS),
      distill: revealed(curves.distill, (replay.t - TEACHER_ENDS) / (STUDENTS_END - TEACHER_ENDS)),
    },
    progress: { step: 0, totalSteps: 0, stepsPerSecond: 0, fraction: replay.t, secondsLeft: null },
    result: final ? done.result : null,
    theorem: null,
    replay,
  };
}
