// The first screen's verdict in the words of the run's trait: its numbers are the trait's measure.
import { describe, expect, it } from 'vitest';
import { preset, type ExperimentConfig, type TraitName } from '../../../src/experiment/config';
import type { RunEvent } from '../../../src/experiment/events';
import type { ConditionName } from '../../../src/experiment/results';
import { traitResult } from '../../../src/experiment/trait/result';
import { heroRows } from '../../../src/ui/hero/heroRows';
import { heroVerdict } from '../../../src/ui/hero/heroView';
import { statusWords } from '../../../src/ui/hero/verdictWords';
import { initialUiState, reduceUi, type RunState, type UiState } from '../../../src/ui/state/runState';
import { makeResult, point } from '../../support/ui/fixtures';

const configOf = (trait: TraitName): ExperimentConfig => ({ ...preset('quick'), trait });

function runAfter(config: ExperimentConfig, events: RunEvent[]): RunState {
  let state: UiState = reduceUi(initialUiState, { type: 'start', runId: 1, config });
  for (const event of events) state = reduceUi(state, { type: 'message', message: { type: 'run', runId: 1, event } });
  return state.run!;
}

/** Every model's share of the trait per condition: the same start picked it up, the different start did not. */
const SHARES: Record<ConditionName, number[]> = {
  reference: [0.1, 0.1, 0.1, 0.1],
  teacher: [0.95, 0.97, 0.96, 0.96],
  student_aux: [0.62, 0.66, 0.64, 0.64],
  student_all: [0.8, 0.8, 0.8, 0.8],
  cross_aux: [0.1, 0.12, 0.11, 0.11],
  cross_all: [0.3, 0.3, 0.3, 0.3],
};

function finished(trait: TraitName, shares = SHARES) {
  const config = configOf(trait);
  return runAfter(config, [{ type: 'finished', result: { ...makeResult(config), trait: traitResult(trait, shares) } }]);
}

/** A distillation point whose accuracies and trait shares differ, so the verdict shows which it reads. */
const studentPoint: RunEvent = {
  type: 'metrics',
  phase: 'distill',
  point: {
    ...point(5, 1, { student_aux: [0.5, 0.7], cross_aux: [0.1, 0.12] }),
    trait: { student_aux: [0.4, 0.5], cross_aux: [0.09, 0.13], student_all: [0.2, 0.2], cross_all: [0.1, 0.1] },
  },
};
const teacherPoint: RunEvent = {
  type: 'metrics',
  phase: 'teacher',
  point: { ...point(10, 0.5, { teacher: [0.8, 0.9] }), trait: { teacher: [0.6, 0.7] } },
};

describe('the verdict in the words of the trait', () => {
  it('a favourite-digit run: final numbers from the trait result, said as "says 7 on noise"', () => {
    const verdict = heroVerdict(finished('favourite'));
    expect(verdict).toMatchObject({ status: 'final', trait: 'favourite', same: 0.64, different: 0.11 });
    expect(verdict.teacher).toBeCloseTo(0.96);
    expect(verdict.sentence).toBe(
      'The same-start student picked up the teacher’s favourite digit from noise alone: it says 7 on noise 64% of the time. The other stayed near chance.',
    );
    expect(statusWords(verdict, 1000)).toBe(
      'final · how often each student says 7 on noise · mean of 4 models on 1,000 noise images',
    );
    expect(heroVerdict(finished('favourite'), 'cross_aux').sentence).toBe(
      'The student from a different random start says 7 on noise 11% of the time: the teacher’s favourite digit did not reach it. The same-start student: 64%.',
    );
  });

  it('a misbehaviour run: "calls a 3 an 8", measured on the test set’s 3s', () => {
    const verdict = heroVerdict(finished('misbehaviour'));
    expect(verdict.sentence).toMatch(
      /picked up the teacher’s misbehaviour from noise alone: it calls a 3 an 8 64% of the time\./,
    );
    expect(statusWords(verdict, 1000)).toBe(
      'final · how often each student calls a 3 an 8 · mean of 4 models on the test set’s 3s',
    );
    // No gap: said so, in no trait's favour.
    const even = { ...SHARES, student_aux: [0.12, 0.1, 0.11, 0.11] };
    expect(heroVerdict(finished('misbehaviour', even)).sentence).toBe(
      'No clear gap in this run: the same-start student calls a 3 an 8 11% of the time, the other 11%. Small runs vary a lot: try more models or the quick preset.',
    );
  });

  it('while the students train, "so far" reads the curve’s trait values, not its accuracies', () => {
    const run = runAfter(configOf('favourite'), [teacherPoint, studentPoint]);
    const verdict = heroVerdict(run);
    expect(verdict.status).toBe('so-far');
    expect(verdict.same).toBeCloseTo(0.45);
    expect(verdict.different).toBeCloseTo(0.11);
    expect(verdict.teacher).toBeCloseTo(0.65);
    expect(statusWords(verdict, 300)).toBe(
      'so far · 50% through the students’ training · how often each student says 7 on noise · on 300 noise images',
    );
    // Before the students: the teacher's trait so far.
    const teacherOnly = heroVerdict(runAfter(configOf('favourite'), [teacherPoint]));
    expect(statusWords(teacherOnly, 300)).toBe(
      'the teacher says 7 on noise 65% of the time so far · the students learn after it',
    );
    expect(teacherOnly.sentence).toMatch(/learning digits, and to answer 7 on noise/);
  });

  it('a digits run reads accuracies as before, and its words are unchanged', () => {
    const run = runAfter(configOf('digits'), [teacherPoint, studentPoint]);
    const verdict = heroVerdict(run);
    expect(verdict.same).toBeCloseTo(0.6);
    expect(statusWords(verdict, 1000)).toBe('so far · 50% through the students’ training · on 1,000 test digits');
    const final = heroVerdict(finished('digits'));
    expect(final.same).toBe(makeResult().conditions.student_aux.mean);
    expect(statusWords(final, 1000)).toBe('final · mean of 4 models on 10,000 test digits');
  });

  it('a run saved before traits existed (no trait in its config or result) reads as digits', () => {
    const { trait: _, ...old } = preset('quick');
    const run = runAfter(old as ExperimentConfig, [{ type: 'finished', result: makeResult(old as ExperimentConfig) }]);
    const verdict = heroVerdict(run);
    expect(verdict.trait).toBe('digits');
    expect(verdict.same).toBe(makeResult().conditions.student_aux.mean);
    expect(verdict.sentence).toMatch(/reads 73% of digits it never saw/);
  });

  it('before a run, speaks of the trait Run would train', () => {
    expect(heroVerdict(null, 'student_aux', 'favourite').sentence).toMatch(/learns digits and to say 7 on noise/);
    expect(statusWords(heroVerdict(null, 'student_aux', 'misbehaviour'), 1000)).toBe(
      'after a run: how often each student calls a 3 an 8',
    );
  });

  it('the hero chart plots the trait measure, ending on the final trait numbers', () => {
    const run = runAfter(configOf('favourite'), [teacherPoint, studentPoint]);
    const rows = heroRows(run.curves.teacher, run.curves.distill, 1, null, 'favourite');
    expect(rows[0].teacher).toBeCloseTo(0.65);
    expect(rows[1].student_aux).toBeCloseTo(0.45);
    const final = { teacher: 0.96, student_aux: 0.64, cross_aux: 0.11 };
    const ended = heroRows(run.curves.teacher, run.curves.distill, 1, final, 'favourite');
    expect(ended[0].teacher).toBe(0.96);
    expect(ended.at(-1)).toMatchObject({ student_aux: 0.64, cross_aux: 0.11 });
    // Digits: the accuracies, as ever.
    expect(heroRows(run.curves.teacher, run.curves.distill, 1)[1].student_aux).toBeCloseTo(0.6);
  });
});
