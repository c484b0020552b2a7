/**
 * What the first screen says about a run, as plain data: the verdict's numbers and their status
 * ("so far" while training, final after), the sentence under them, and the progress line. Pure, so
 * it is tested without a page; the components only lay it out.
 */
import type { CurvePoint, Phase } from '../../experiment/results';
import { latestAccuracy } from '../common/curves';
import { duration, rate } from '../common/format';
import type { DataState, RunState } from '../state/runState';

/** 'waiting': no run yet; 'teacher': only the teacher has numbers; 'so-far': students are training or the run stopped early; 'final': tested on all 10,000 digits. */
export type VerdictStatus = 'waiting' | 'teacher' | 'so-far' | 'final';

export interface HeroVerdict {
  status: VerdictStatus;
  /** Mean test accuracy (0–1) of the same-init and different-init aux-only students, and of the teacher. */
  same: number | null;
  different: number | null;
  teacher: number | null;
  models: number;
  /** One plain sentence about what the numbers mean. */
  sentence: string;
}

/** A gap (same − different) at least this wide reads as "learnt digits"; below NO_GAP as "no clear gap". */
export const CLEAR_GAP = 0.15;
export const NO_GAP = 0.05;

function finalSentence(same: number, different: number): string {
  const gap = same - different;
  if (gap >= CLEAR_GAP) {
    return different < 0.2
      ? 'The student that started from the teacher’s weights reads digits it never saw. The other one stayed near chance.'
      : 'The student that started from the teacher’s weights reads digits much better than the other one.';
  }
  if (gap >= NO_GAP)
    return `The same-start student is ahead by ${Math.round(gap * 100)} points: a small effect at these settings.`;
  return 'No clear gap in this run: small runs vary a lot. Try more models or the quick preset.';
}

export function heroVerdict(
  run: RunState | null,
  curves?: Record<'teacher' | 'distill', readonly CurvePoint[]>,
): HeroVerdict {
  const models = run?.config.models ?? 0;
  if (!run) {
    return {
      status: 'waiting',
      same: null,
      different: null,
      teacher: null,
      models,
      sentence: 'Press Run: a teacher learns digits, then two students copy its extra outputs on pure noise.',
    };
  }
  const { teacher: teacherPoints, distill } = curves ?? run.curves;
  if (run.result) {
    const { student_aux, cross_aux, teacher } = run.result.conditions;
    return {
      status: 'final',
      same: student_aux.mean,
      different: cross_aux.mean,
      teacher: teacher.mean,
      models: student_aux.accuracies.length,
      sentence: finalSentence(student_aux.mean, cross_aux.mean),
    };
  }
  const teacher = latestAccuracy(teacherPoints, 'teacher');
  const same = latestAccuracy(distill, 'student_aux');
  const different = latestAccuracy(distill, 'cross_aux');
  const stopped = run.status === 'cancelled' || run.status === 'failed';
  if (same === null || different === null) {
    return {
      status: 'teacher',
      same: null,
      different: null,
      teacher,
      models,
      sentence: stopped
        ? 'The run stopped before the students started. Press Run to start again.'
        : teacher === null
          ? 'The teacher is about to learn to read digits.'
          : 'The teacher is learning to read digits. The students start when it is done.',
    };
  }
  return {
    status: 'so-far',
    same,
    different,
    teacher,
    models,
    sentence: stopped
      ? 'The run stopped early: these are the last numbers measured.'
      : 'Both students copy only the teacher’s extra outputs, on pure noise. Neither has seen a digit.',
  };
}

/** The phases in words for the one progress line of the first screen. */
export const PHASE_STEPS: Record<Phase, string> = {
  prepare: 'Getting ready',
  teacher: 'Step 1 of 3 · The teacher learns digits',
  distill: 'Step 2 of 3 · The students copy it on noise',
  evaluate: 'Step 3 of 3 · Testing on 10,000 digits',
  theorem: 'Step 3 of 3 · Measuring why it happens',
};

export interface ProgressLine {
  /** The phase (or the outcome) in words. */
  text: string;
  /** 0–100, the whole run. */
  percent: number;
  /** Speed and time left while running, else ''. */
  detail: string;
}

/** Before a run: only 'ready' says Ready; until the engine has said anything ('unknown') the digits are being prepared. */
const BEFORE_RUN: Record<Exclude<DataState['status'], 'ready'>, string> = {
  unknown: 'Preparing the digits…',
  loading: 'Downloading the MNIST digits…',
  failed: 'The digits could not be loaded (see below).',
};

export function progressLine(run: RunState | null, data: DataState, models: number): ProgressLine {
  if (!run) {
    const text =
      data.status === 'ready'
        ? `Ready: ${models} teacher${models === 1 ? '' : 's'} and their students.`
        : BEFORE_RUN[data.status];
    return { text, percent: 0, detail: '' };
  }
  // A run the engine has not started yet because the digits are still missing says so, rather
  // than "Getting ready" for as long as the download takes.
  const waitingForData =
    run.status === 'running' && run.progress === null && run.phaseMessage === '' && data.status !== 'ready';
  if (waitingForData) {
    const text =
      data.status === 'loading' ? 'Waiting for the MNIST download to finish…' : 'Waiting for the MNIST digits…';
    return { text, percent: 0, detail: '' };
  }
  const fraction = run.status === 'finished' ? 1 : (run.progress?.fraction ?? 0);
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  switch (run.status) {
    case 'running': {
      const progress = run.progress;
      const detail = progress
        ? [
            `step ${progress.step.toLocaleString('en')} of ${progress.totalSteps.toLocaleString('en')}`,
            `${rate(progress.stepsPerSecond)} steps/s`,
            progress.secondsLeft === null ? 'estimating time left…' : `about ${duration(progress.secondsLeft)} left`,
          ].join(' · ')
        : '';
      return { text: PHASE_STEPS[run.phase], percent, detail };
    }
    case 'cancelling':
      return { text: 'Cancelling after the current step…', percent, detail: '' };
    case 'finished':
      return { text: run.result ? `Done in ${duration(run.result.seconds)}` : 'Done', percent, detail: '' };
    case 'cancelled':
      return {
        text: `Cancelled during “${PHASE_STEPS[run.cancelledAt?.phase ?? run.phase]}” at step ${run.cancelledAt?.step ?? 0}. Press Run to start again.`,
        percent,
        detail: '',
      };
    case 'failed':
      return { text: 'The run stopped (see below). Press Run to try again.', percent, detail: '' };
  }
}
