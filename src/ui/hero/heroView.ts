/**
 * What the first screen says about a run, as plain data: the verdict's numbers and their status
 * ("so far" while training, final after), the sentence under them, and the progress line. Pure, so
 * it is tested without a page; the components only lay it out.
 */
import type { TraitName } from '../../experiment/config';
import type { CurvePoint } from '../../experiment/results';
import type { Phase } from '../../experiment/events';
import { duration, rate } from '../common/format';
import { finalMeasure, latestMeasure, traitOf } from '../common/trait';
import type { DataState, RunState } from '../state/runState';
import { finalSentence, teacherSentence, waitingSentence, type Featured } from './verdictWords';

/** 'waiting': no run yet; 'teacher': only the teacher has numbers; 'so-far': students are training or the run stopped early; 'final': tested on all 10,000 digits. */
export type VerdictStatus = 'waiting' | 'teacher' | 'so-far' | 'final';

export type { Featured } from './verdictWords';

export interface HeroVerdict {
  status: VerdictStatus;
  /** The run's trait: the numbers are its measure (test accuracy for 'digits'). */
  trait: TraitName;
  /** Mean trait measure (0–1) of the same-init and different-init aux-only students, and of the teacher. */
  same: number | null;
  different: number | null;
  teacher: number | null;
  models: number;
  /** While the students train: how far through their training the numbers are (0–1), else null. */
  through: number | null;
  /** One plain sentence about what the numbers mean, for the student the switch shows. */
  sentence: string;
}

/** The sentence while the students train, for the student the switch shows. */
function trainingSentence(featured: Featured): string {
  return featured === 'student_aux'
    ? 'The same-start student copies only the teacher’s extra outputs, on pure noise: it has never seen a digit.'
    : 'The different-start student copies the same extra outputs on the same noise, from its own random start.';
}

/** The newest student point after some training (the point at step 0 is the untrained start). */
function latestTrained(distill: readonly CurvePoint[]): CurvePoint | null {
  for (let i = distill.length - 1; i >= 0; i--) if (distill[i].step > 0) return distill[i];
  return null;
}

/**
 * The verdict of the run on screen, in its trait's measure; `trait` says which before any run (the
 * one Run would train).
 */
export function heroVerdict(
  run: RunState | null,
  featured: Featured = 'student_aux',
  trait: TraitName = traitOf(run?.config),
): HeroVerdict {
  const models = run?.config.models ?? 0;
  const base = { trait, same: null, different: null, teacher: null, models, through: null };
  if (!run) return { ...base, status: 'waiting', sentence: waitingSentence(trait) };
  if (run.result) {
    const { result } = run;
    const same = finalMeasure(result, 'student_aux');
    const different = finalMeasure(result, 'cross_aux');
    return {
      ...base,
      status: 'final',
      same,
      different,
      teacher: finalMeasure(result, 'teacher'),
      models: result.conditions.student_aux.accuracies.length,
      sentence: finalSentence(trait, same, different, featured),
    };
  }
  const teacher = latestMeasure(run.curves.teacher, 'teacher', trait);
  const trained = latestTrained(run.curves.distill);
  const stopped = run.status === 'cancelled' || run.status === 'failed';
  if (!trained) {
    return {
      ...base,
      status: 'teacher',
      teacher,
      sentence: stopped
        ? 'The run stopped before the students had learnt anything. Press Run to start again.'
        : teacherSentence(trait, teacher !== null),
    };
  }
  const mean = (name: Featured) => latestMeasure([trained], name, trait);
  return {
    ...base,
    status: 'so-far',
    same: mean('student_aux'),
    different: mean('cross_aux'),
    teacher,
    through: Math.min(1, trained.epoch / run.config.studentEpochs),
    sentence: stopped ? 'The run stopped early: these are the last numbers measured.' : trainingSentence(featured),
  };
}

/** The phases in words for the one progress line of the first screen (in order: it never goes back). */
export const PHASE_STEPS: Record<Phase, string> = {
  prepare: 'Step 1 of 3 · Setting up the teachers',
  teacher: 'Step 1 of 3 · The teacher learns digits',
  distill: 'Step 2 of 3 · The students copy it on noise',
  evaluate: 'Step 3 of 3 · Testing on 10,000 digits',
  theorem: 'Result final · Measuring why it happens',
};

/** What a paused run says, by where it stopped. */
function pausedText(paused: NonNullable<RunState['paused']>): string {
  if (paused.atStage && paused.phase === 'distill') return 'Paused: the teacher has learnt. The students are next.';
  if (paused.atStage && paused.phase === 'evaluate') return 'Paused: the students have learnt. The test is next.';
  return 'Paused';
}

/** The phase in words, with the group of models when the run trains them in groups. */
function phaseText(run: RunState): string {
  // Tested: the verdict is final, whatever is measured next (the why, a chain's generations).
  if (run.result && run.status === 'running') return 'Result final · Measuring why it happens';
  const group = run.group && run.group.count > 1 ? `Group ${run.group.index + 1} of ${run.group.count} · ` : '';
  return group + PHASE_STEPS[run.phase];
}

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
  if (run?.replay) {
    const line = run.replay.t >= 1 ? { text: 'Replay · done' } : { text: `Replay · ${phaseText(run)}` };
    return { ...line, percent: Math.round(run.replay.t * 100), detail: `of ${run.replay.label}` };
  }
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
    run.status === 'running' &&
    !run.paused &&
    run.progress === null &&
    run.phaseMessage === '' &&
    data.status !== 'ready';
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
        ? // Time left first: on a narrow line it is what stays visible.
          [
            progress.secondsLeft === null ? 'estimating time left…' : `about ${duration(progress.secondsLeft)} left`,
            `step ${progress.step.toLocaleString('en')} of ${progress.totalSteps.toLocaleString('en')}`,
            `${rate(progress.stepsPerSecond)} steps/s`,
          ].join(' · ')
        : '';
      if (run.paused) return { text: pausedText(run.paused), percent, detail: 'Space or K to continue' };
      return { text: phaseText(run), percent, detail };
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
