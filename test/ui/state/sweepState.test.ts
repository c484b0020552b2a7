import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import type { ExperimentResult } from '../../../src/experiment/results';
import type { RunEvent } from '../../../src/experiment/events';
import { planSweep, type SweepResult } from '../../../src/experiment/sweep/sweep';
import type { SweepEvent } from '../../../src/experiment/sweep/sweepRun';
import type { RunState } from '../../../src/ui/state/runState';
import {
  activeSweep,
  initialSweepState,
  reduceSweep,
  sweepProgress,
  sweepResult,
  type SweepAction,
  type SweepState,
} from '../../../src/ui/state/sweepState';
import { makeResult } from '../../support/ui/fixtures';

const base = preset('tiny');
const plan = planSweep(base, 'm=1,2,3').plan!;
const results = plan.configs.map((config) => makeResult(config));

const start = (state: SweepState = initialSweepState, runId = 1): SweepState =>
  reduceSweep(state, { type: 'start', runId, kind: 'values', base, plan, now: 1000 });
const event = (sweepEvent: SweepEvent, runId = 1): SweepAction => ({ type: 'event', runId, event: sweepEvent });
/** An event of value `index`'s run. */
const runEvent = (index: number, run: RunEvent, runId = 1) =>
  event({ type: 'sweep-run', index, value: plan.values[index], event: run }, runId);
const phase = (index: number, runId = 1) =>
  runEvent(index, { type: 'phase', phase: 'teacher', message: 'go', totalSteps: 10 }, runId);
/** Value `index` finishes: its run's 'finished', then its point. */
const finish = (index: number, result: ExperimentResult = results[index], runId = 1): SweepAction[] => [
  runEvent(index, { type: 'finished', result }, runId),
  event({ type: 'sweep-point', index, point: { value: plan.values[index], result } }, runId),
];
const sweepFinished = (seconds = 60): SweepResult => ({
  kind: 'sweep',
  setting: plan.setting,
  values: plan.values,
  base,
  points: plan.values.map((value, i) => ({ value, result: results[i] })),
  seconds,
});
const stopped = (index: number, end: Extract<RunEvent, { type: 'failed' | 'cancelled' }>, runId = 1) =>
  event({ type: 'sweep-stopped', index, value: plan.values[index], event: end }, runId);
const play = (state: SweepState, actions: SweepAction[]) => actions.reduce(reduceSweep, state);

describe('the sweep reducer', () => {
  it('starts running the first value under the engine run id', () => {
    const state = start(initialSweepState, 4);
    const sweep = state.sweeps.values!;
    expect(state.latest).toBe('values');
    expect(sweep).toEqual({
      runId: 4,
      kind: 'values',
      base,
      plan,
      status: 'running',
      points: [],
      index: 0,
      startedAt: 1000,
      result: null,
      failure: null,
    });
    expect(activeSweep(state)).toBe(sweep);
    expect(state.sweeps.layers).toBeNull();
    expect(state.sweeps.chain).toBeNull();
  });

  it('refuses a plan without values', () => {
    expect(
      reduceSweep(initialSweepState, {
        type: 'start',
        runId: 1,
        kind: 'values',
        base,
        plan: { ...plan, values: [], configs: [] },
        now: 0,
      }),
    ).toBe(initialSweepState);
  });

  it("follows the engine's value: each value's run events move the index", () => {
    const first = play(start(), [phase(0)]);
    expect(first.sweeps.values).toMatchObject({ index: 0, status: 'running', points: [] });
    // The next value's run began (its point may come just before, or the page may miss none).
    const second = play(first, [phase(1)]);
    expect(second.sweeps.values).toMatchObject({ index: 1, status: 'running', points: [] });
    // Progress, metrics and the run's own 'finished' change no point: only 'sweep-point' does.
    const progressed = play(second, [
      runEvent(1, {
        type: 'progress',
        phase: 'teacher',
        step: 1,
        totalSteps: 10,
        stepsPerSecond: 1,
        fraction: 0.1,
        secondsLeft: 9,
      }),
    ]);
    expect(progressed.sweeps.values).toMatchObject({ index: 1, points: [] });
    expect(play(progressed, [runEvent(1, { type: 'finished', result: results[1] })]).sweeps.values!.points).toEqual([]);
  });

  it('appends each finished point in order and moves on to the next value', () => {
    const one = play(start(), [phase(0), ...finish(0)]);
    expect(one.sweeps.values).toMatchObject({ index: 1, status: 'running' });
    expect(one.sweeps.values!.points).toEqual([{ value: '1', result: results[0] }]);
    expect(activeSweep(one)).not.toBeNull();
    const two = play(one, [phase(1), ...finish(1)]);
    expect(two.sweeps.values).toMatchObject({ index: 2, status: 'running' });
    expect(two.sweeps.values!.points).toEqual([
      { value: '1', result: results[0] },
      { value: '2', result: results[1] },
    ]);
  });

  it('runs every value and ends with the SweepResult the engine sends', () => {
    const result = sweepFinished(60);
    const state = play(start(), [...finish(0), ...finish(1), ...finish(2), event({ type: 'sweep-finished', result })]);
    const sweep = state.sweeps.values!;
    expect(sweep.status).toBe('finished');
    expect(sweep.result).toBe(result);
    expect(sweep.points).toEqual(result.points);
    expect(sweep.index).toBe(3);
    expect(sweep.failure).toBeNull();
    expect(activeSweep(state)).toBeNull();
    expect(sweepProgress(sweep, null)).toEqual({ fraction: 1, current: null });
    // Nothing the engine says later changes a finished sweep.
    expect(reduceSweep(state, phase(0))).toBe(state);
  });

  it('cancel marks the sweep cancelling; the engine then says where it stopped, and the finished points stay', () => {
    const state = play(start(), [...finish(0), phase(1)]);
    const cancelling = reduceSweep(state, { type: 'cancel' });
    expect(cancelling.sweeps.values).toMatchObject({ status: 'cancelling', index: 1 });
    expect(activeSweep(cancelling)).not.toBeNull();
    // A second cancel changes nothing.
    expect(reduceSweep(cancelling, { type: 'cancel' })).toBe(cancelling);
    // Events still on their way count: the sweep stays cancelling.
    const stillGoing = reduceSweep(
      cancelling,
      runEvent(1, {
        type: 'progress',
        phase: 'teacher',
        step: 2,
        totalSteps: 10,
        stepsPerSecond: 1,
        fraction: 0.2,
        secondsLeft: 8,
      }),
    );
    expect(stillGoing.sweeps.values!.status).toBe('cancelling');
    const cancelled = reduceSweep(stillGoing, stopped(1, { type: 'cancelled', phase: 'teacher', step: 3 }));
    expect(cancelled.sweeps.values).toMatchObject({ status: 'cancelled', index: 1, failure: null, result: null });
    expect(cancelled.sweeps.values!.points).toEqual([{ value: '1', result: results[0] }]);
    expect(activeSweep(cancelled)).toBeNull();
    // The engine's later events are not the sweep's business any more.
    expect(reduceSweep(cancelled, phase(2))).toBe(cancelled);
  });

  it('cancel between two values waits for the engine too', () => {
    const cancelling = play(start(), [...finish(0), { type: 'cancel' }]);
    expect(cancelling.sweeps.values).toMatchObject({ status: 'cancelling', index: 1 });
    const cancelled = reduceSweep(cancelling, stopped(1, { type: 'cancelled', phase: 'prepare', step: 0 }));
    expect(cancelled.sweeps.values).toMatchObject({ status: 'cancelled', index: 1 });
    expect(cancelled.sweeps.values!.points).toHaveLength(1);
  });

  it('a cancel the page did not ask for (the main Cancel, a replaced job) stops the sweep too', () => {
    const state = play(start(), [phase(0), stopped(0, { type: 'cancelled', phase: 'teacher', step: 1 })]);
    expect(state.sweeps.values).toMatchObject({ status: 'cancelled', index: 0, points: [] });
  });

  it('cancel without a running sweep changes nothing', () => {
    expect(reduceSweep(initialSweepState, { type: 'cancel' })).toBe(initialSweepState);
    const finished = play(start(), [
      ...finish(0),
      ...finish(1),
      ...finish(2),
      event({ type: 'sweep-finished', result: sweepFinished() }),
    ]);
    expect(reduceSweep(finished, { type: 'cancel' })).toBe(finished);
  });

  it('a failed run stops the sweep with its reason and keeps the points', () => {
    const state = play(start(), [
      ...finish(0),
      phase(1),
      stopped(1, { type: 'failed', phase: 'distill', reason: 'WebGPU ran out of memory' }),
    ]);
    expect(state.sweeps.values).toMatchObject({
      status: 'failed',
      failure: 'WebGPU ran out of memory',
      index: 1,
      result: null,
    });
    expect(state.sweeps.values!.points).toEqual([{ value: '1', result: results[0] }]);
    expect(activeSweep(state)).toBeNull();
  });

  it('a failure while cancelling is a failure', () => {
    const state = play(start(), [
      phase(0),
      { type: 'cancel' },
      stopped(0, { type: 'failed', phase: 'teacher', reason: 'lost' }),
    ]);
    expect(state.sweeps.values).toMatchObject({ status: 'failed', failure: 'lost' });
  });

  it("'ended' (the engine went away underneath) fails the sweep with the reason and keeps the points", () => {
    const state = play(start(), [...finish(0), phase(1), { type: 'ended', reason: 'the engine was restarted' }]);
    expect(state.sweeps.values).toMatchObject({ status: 'failed', failure: 'the engine was restarted', index: 1 });
    expect(state.sweeps.values!.points).toHaveLength(1);
    expect(activeSweep(state)).toBeNull();
    // The old engine's events that still arrive change nothing.
    expect(reduceSweep(state, phase(2))).toBe(state);
    // With no sweep going, nothing ends.
    expect(reduceSweep(initialSweepState, { type: 'ended', reason: 'x' })).toBe(initialSweepState);
    expect(reduceSweep(state, { type: 'ended', reason: 'again' })).toBe(state);
  });

  it('ignores the events of another run id', () => {
    const state = play(start(initialSweepState, 5), [phase(0, 5)]);
    expect(reduceSweep(state, phase(1, 4))).toBe(state);
    expect(reduceSweep(state, finish(0, results[0], 4)[1])).toBe(state);
    expect(reduceSweep(state, stopped(0, { type: 'failed', phase: 'teacher', reason: 'x' }, 6))).toBe(state);
    expect(reduceSweep(state, event({ type: 'sweep-finished', result: sweepFinished() }, 6))).toBe(state);
  });

  it('a second start while one is going marks the old one cancelled, and keeps the latest of each kind', () => {
    const layers = planSweep(base, 'layers=all').plan!;
    const busy = play(start(initialSweepState, 1), [...finish(0)]);
    const next = reduceSweep(busy, { type: 'start', runId: 2, kind: 'layers', base, plan: layers, now: 5000 });
    expect(next.latest).toBe('layers');
    expect(next.sweeps.values).toMatchObject({ runId: 1, status: 'cancelled' });
    expect(next.sweeps.values!.points).toHaveLength(1);
    expect(next.sweeps.layers).toMatchObject({
      runId: 2,
      kind: 'layers',
      status: 'running',
      index: 0,
      points: [],
      startedAt: 5000,
    });
    expect(activeSweep(next)).toBe(next.sweeps.layers);
    // The engine's word on the replaced job changes neither sweep.
    expect(reduceSweep(next, stopped(1, { type: 'cancelled', phase: 'prepare', step: 0 }, 1))).toBe(next);
    // The new sweep's events are its own; the old one's chart stays.
    const layersDone = reduceSweep(
      next,
      event({ type: 'sweep-point', index: 0, point: { value: layers.values[0], result: results[0] } }, 2),
    );
    expect(layersDone.sweeps.layers!.points).toHaveLength(1);
    expect(layersDone.sweeps.values).toBe(next.sweeps.values);

    // A new sweep of the same kind takes the old one's place.
    const again = start(busy, 3);
    expect(again.sweeps.values).toMatchObject({ runId: 3, status: 'running', points: [] });
  });

  it('sweepResult: the sweep as the command line writes it, with the points so far', () => {
    const state = play(start(), [...finish(0)]);
    expect(sweepResult(state.sweeps.values!, 12)).toEqual({
      kind: 'sweep',
      setting: 'auxLogits',
      values: ['1', '2', '3'],
      base,
      points: [{ value: '1', result: results[0] }],
      seconds: 12,
    });
  });

  it('progress: finished values plus the fraction of the value running now', () => {
    const state = play(start(), [...finish(0), phase(1)]);
    const sweep = state.sweeps.values!;
    const progress = { step: 5, totalSteps: 10, stepsPerSecond: 1, fraction: 0.5, secondsLeft: 5 };
    const run = (over: Partial<RunState>): Pick<RunState, 'runId' | 'progress' | 'status'> => ({
      runId: 1,
      progress,
      status: 'running',
      ...over,
    });
    expect(sweepProgress(sweep, run({}))).toEqual({ fraction: 0.5, current: 0.5 });
    expect(sweepProgress(sweep, run({ status: 'cancelling' }))).toEqual({ fraction: 0.5, current: 0.5 });
    // A run that has not reported progress yet is at 0.
    expect(sweepProgress(sweep, run({ progress: null }))).toEqual({ fraction: 1 / 3, current: 0 });
    // Between two values the last value's run shows as finished: its point already counts.
    expect(sweepProgress(sweep, run({ status: 'finished', progress: { ...progress, fraction: 1 } }))).toEqual({
      fraction: 1 / 3,
      current: null,
    });
    // Another run's progress is not this sweep's, nor is a missing run.
    expect(sweepProgress(sweep, run({ runId: 9 }))).toEqual({ fraction: 1 / 3, current: null });
    expect(sweepProgress(sweep, null)).toEqual({ fraction: 1 / 3, current: null });
    // A stopped sweep shows how far it got.
    const cancelled = play(state, [stopped(1, { type: 'cancelled', phase: 'teacher', step: 5 })]).sweeps.values!;
    expect(sweepProgress(cancelled, run({ status: 'cancelled' }))).toEqual({ fraction: 1 / 3, current: null });
  });
});
