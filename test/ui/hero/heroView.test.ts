import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { heroRows } from '../../../src/ui/hero/heroRows';
import { heroVerdict, PHASE_STEPS, progressLine } from '../../../src/ui/hero/heroView';
import { initialUiState, reduceUi, type RunState, type UiState } from '../../../src/ui/state/runState';
import type { RunEvent } from '../../../src/experiment/events';
import { ACCURACIES, makeResult, point } from '../../support/ui/fixtures';

function runAfter(events: RunEvent[]): RunState {
  let state: UiState = reduceUi(initialUiState, { type: 'start', runId: 1, config: preset('quick') });
  for (const event of events) state = reduceUi(state, { type: 'message', message: { type: 'run', runId: 1, event } });
  return state.run!;
}

const teacherPoint: RunEvent = { type: 'metrics', phase: 'teacher', point: point(10, 0.5, { teacher: [0.8, 0.9] }) };
const studentPoint: RunEvent = {
  type: 'metrics',
  phase: 'distill',
  point: point(5, 1, {
    student_aux: [0.5, 0.7],
    cross_aux: [0.1, 0.12],
    student_all: [0.9, 0.9],
    cross_all: [0.7, 0.7],
  }),
};

describe('the verdict on the first screen', () => {
  it('waits for a run, then shows the teacher alone while it learns', () => {
    expect(heroVerdict(null)).toMatchObject({ status: 'waiting', same: null, different: null });
    const verdict = heroVerdict(runAfter([teacherPoint]));
    expect(verdict).toMatchObject({ status: 'teacher', same: null, different: null });
    expect(verdict.teacher).toBeCloseTo(0.85);
  });

  it('gives both students "so far" from the newest curve point while they train', () => {
    const verdict = heroVerdict(runAfter([teacherPoint, studentPoint]));
    expect(verdict.status).toBe('so-far');
    expect(verdict.same).toBeCloseTo(0.6);
    expect(verdict.different).toBeCloseTo(0.11);
    expect(verdict.sentence).toMatch(/it has never seen a digit/);
    expect(verdict.through).toBeCloseTo(1 / preset('quick').studentEpochs);
    expect(heroVerdict(runAfter([teacherPoint, studentPoint]), 'cross_aux').sentence).toMatch(/own random start/);
  });

  it('gives the students no number before they have trained (their start is not a result)', () => {
    const untrained: RunEvent = {
      type: 'metrics',
      phase: 'distill',
      point: point(0, 0, { student_aux: [0.08, 0.09], cross_aux: [0.05, 0.07] }),
    };
    const verdict = heroVerdict(runAfter([teacherPoint, untrained]));
    expect(verdict).toMatchObject({ status: 'teacher', same: null, different: null });
  });

  it('is final as soon as the six conditions are tested, before the "why" measurements end', () => {
    const result = makeResult();
    const run = runAfter([teacherPoint, studentPoint, { type: 'evaluated', result }]);
    expect(run.status).toBe('running');
    expect(heroVerdict(run)).toMatchObject({ status: 'final', same: result.conditions.student_aux.mean });
    // The chart's curves are the result's, merged over every model, as a reopened run draws them.
    expect(run.curves).toBe(result.curves);
  });

  it('is final from the tested result (all 10,000 digits), not from the curve', () => {
    const result = makeResult();
    const verdict = heroVerdict(runAfter([teacherPoint, studentPoint, { type: 'finished', result }]));
    expect(verdict.status).toBe('final');
    expect(verdict.same).toBe(result.conditions.student_aux.mean);
    expect(verdict.different).toBe(result.conditions.cross_aux.mean);
    expect(verdict.models).toBe(result.conditions.student_aux.accuracies.length);
  });

  it('says what the gap means, and says so when there is none', () => {
    const config = preset('quick');
    const finished = (same: number[], different: number[]) =>
      heroVerdict(
        runAfter([
          { type: 'finished', result: makeResult(config, { ...ACCURACIES, student_aux: same, cross_aux: different }) },
        ]),
      ).sentence;
    expect(finished([0.7, 0.68], [0.1, 0.12])).toMatch(
      /reads 69% of digits it never saw\. The other one stayed near chance/,
    );
    expect(finished([0.2, 0.2], [0.12, 0.1])).toMatch(/ahead by 9 points/);
    expect(finished([0.11, 0.1], [0.1, 0.11])).toMatch(/No clear gap/);
  });

  it('tells the story of the student the switch shows, in both positions', () => {
    const result = makeResult(preset('quick'), { ...ACCURACIES, student_aux: [0.7, 0.68], cross_aux: [0.1, 0.12] });
    const run = runAfter([{ type: 'finished', result }]);
    expect(heroVerdict(run, 'student_aux').sentence).toMatch(/started from the teacher’s own random weights reads 69%/);
    expect(heroVerdict(run, 'cross_aux').sentence).toMatch(/different random start stays at chance \(11%\)/);
  });

  it('keeps the last numbers of a run stopped half-way, marked as such', () => {
    const verdict = heroVerdict(
      runAfter([teacherPoint, studentPoint, { type: 'cancelled', phase: 'distill', step: 6 }]),
    );
    expect(verdict.status).toBe('so-far');
    expect(verdict.sentence).toMatch(/stopped early/);
  });
});

describe('the progress line', () => {
  it('names the step, with speed and time left while running', () => {
    const run = runAfter([
      {
        type: 'progress',
        phase: 'distill',
        step: 30,
        totalSteps: 200,
        stepsPerSecond: 4.25,
        fraction: 0.5,
        secondsLeft: 70,
      },
    ]);
    expect(progressLine(run, { status: 'ready' }, 4)).toEqual({
      text: 'Step 2 of 3 · The students copy it on noise',
      percent: 50,
      detail: 'about 1 min 10 s left · step 30 of 200 · 4.3 steps/s',
    });
  });

  it('never goes back, whatever order the parts of a run report in', () => {
    const progress = (phase: 'teacher' | 'distill', fraction: number, group?: { index: number; count: number }) =>
      ({
        type: 'progress',
        phase,
        step: 1,
        totalSteps: 10,
        stepsPerSecond: 1,
        fraction,
        secondsLeft: 5,
        group,
      }) as const;
    const late = runAfter([progress('distill', 0.5), progress('teacher', 0.4)]);
    expect(progressLine(late, { status: 'ready' }, 4)).toMatchObject({ text: PHASE_STEPS.distill, percent: 50 });
    // Groups of models trained one after another: the second group's teacher comes after the first's students.
    const grouped = runAfter([
      progress('distill', 0.4, { index: 0, count: 2 }),
      progress('teacher', 0.55, { index: 1, count: 2 }),
    ]);
    expect(progressLine(grouped, { status: 'ready' }, 4).text).toBe(`Group 2 of 2 · ${PHASE_STEPS.teacher}`);
  });

  it('says where a paused run stopped, and that it goes on with Space', () => {
    const stopped = runAfter([{ type: 'paused', phase: 'distill', atStage: true }]);
    expect(progressLine(stopped, { status: 'ready' }, 4)).toMatchObject({
      text: 'Paused: the teacher has learnt. The students are next.',
      detail: 'Space or K to continue',
    });
    let state: UiState = { ...initialUiState, run: stopped };
    state = reduceUi(state, { type: 'resume' });
    expect(state.run!.paused).toBeNull();
    state = reduceUi(state, { type: 'pause' });
    expect(progressLine(state.run, { status: 'ready' }, 4).text).toBe('Paused');
  });

  it('says when the run is done and how long it took', () => {
    const run = runAfter([{ type: 'finished', result: { ...makeResult(), seconds: 61.6 } }]);
    expect(progressLine(run, { status: 'ready' }, 4)).toMatchObject({ text: 'Done in 1 min 02 s', percent: 100 });
  });

  it('before a run, says what Run will train, or that the digits are downloading', () => {
    expect(progressLine(null, { status: 'ready' }, 1).text).toBe('Ready: 1 teacher and their students.');
    expect(progressLine(null, { status: 'loading', loadedBytes: 1, totalBytes: 2 }, 4).text).toMatch(/Downloading/);
  });

  it('says Ready only when the digits are there', () => {
    const states: UiState['data'][] = [
      { status: 'unknown' },
      { status: 'loading', loadedBytes: 0, totalBytes: null },
      { status: 'failed', reason: 'The MNIST download stalled: no data for 20 s from /data/x.gz' },
    ];
    for (const data of states) expect(progressLine(null, data, 4).text, data.status).not.toMatch(/Ready/);
    expect(progressLine(null, { status: 'unknown' }, 4).text).toBe('Preparing the digits…');
    expect(progressLine(null, { status: 'failed', reason: 'x' }, 4).text).toBe(
      'The digits could not be loaded (see below).',
    );
    expect(progressLine(null, { status: 'ready' }, 4).text).toBe('Ready: 4 teachers and their students.');
  });

  it('a run waiting for the digits says it is waiting for the download, then names its step once it trains', () => {
    const waiting = runAfter([]);
    expect(progressLine(waiting, { status: 'loading', loadedBytes: 5e6, totalBytes: 11e6 }, 4)).toEqual({
      text: 'Waiting for the MNIST download to finish…',
      percent: 0,
      detail: '',
    });
    expect(progressLine(waiting, { status: 'unknown' }, 4).text).toBe('Waiting for the MNIST digits…');
    expect(progressLine(waiting, { status: 'ready' }, 4).text).toBe('Step 1 of 3 · Setting up the teachers');
    const training = runAfter([
      {
        type: 'progress',
        phase: 'teacher',
        step: 1,
        totalSteps: 200,
        stepsPerSecond: 1,
        fraction: 0.01,
        secondsLeft: null,
      },
    ]);
    expect(progressLine(training, { status: 'ready' }, 4).text).toBe('Step 1 of 3 · The teacher learns digits');
  });
});

describe('the featured chart rows', () => {
  it('puts the students after the teacher on one time axis', () => {
    const rows = heroRows(
      [point(0, 0, { teacher: [0.1] }), point(9, 1, { teacher: [0.8] })],
      [point(0, 0, { student_aux: [0.1], cross_aux: [0.1] }), point(9, 2, { student_aux: [0.6], cross_aux: [0.12] })],
      1,
    );
    expect(rows.map((row) => row.x)).toEqual([0, 1, 1, 3]);
    expect(rows[1]).toEqual({ x: 1, teacher: 0.8 });
    expect(rows[3]).toEqual({ x: 3, student_aux: 0.6, cross_aux: 0.12 });
  });
});
