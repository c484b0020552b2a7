import { describe, expect, it } from 'vitest';
import { preset } from '../../src/experiment/config';
import type { ExperimentResult } from '../../src/experiment/results';
import { planSweep } from '../../src/experiment/sweep';
import {
  activeSweep,
  initialSweepState,
  pendingConfig,
  reduceSweep,
  sweepProgress,
  type EngineRun,
  type SweepAction,
  type SweepState,
} from '../../src/ui/state/sweepState';
import { makeResult } from './fixtures';

const base = preset('tiny');
const plan = planSweep(base, 'm=1,2,3').plan!;

const start = (state: SweepState = initialSweepState, afterRunId = 0): SweepState =>
  reduceSweep(state, { type: 'start', kind: 'values', base, plan, afterRunId, now: 1000 });
const engine = (run: EngineRun | null, now = 2000): SweepAction => ({ type: 'engine', run, now });
const running = (runId: number): EngineRun => ({ runId, status: 'running', result: null, failure: null });
const finished = (runId: number, result: ExperimentResult): EngineRun => ({ runId, status: 'finished', result, failure: null });
const play = (state: SweepState, actions: SweepAction[]) => actions.reduce(reduceSweep, state);

describe('the sweep reducer', () => {
  it('starts waiting for the engine to run the first value', () => {
    const state = start(initialSweepState, 4);
    const sweep = state.sweeps.values!;
    expect(state.latest).toBe('values');
    expect(sweep).toMatchObject({ status: 'running', index: 0, runId: null, afterRunId: 4, points: [] });
    expect(pendingConfig(state)).toEqual({ key: `${sweep.id}:0`, config: plan.configs[0] });
  });

  it('ignores the run from before, adopts the new one, and asks for the next value when it finishes', () => {
    const before = start(initialSweepState, 4);
    // The engine still shows the run that was there before the sweep.
    expect(reduceSweep(before, engine(finished(4, makeResult(base))))).toBe(before);
    const adopted = reduceSweep(before, engine(running(5)));
    expect(adopted.sweeps.values).toMatchObject({ runId: 5, index: 0 });
    expect(pendingConfig(adopted)).toBeNull();
    // Progress events change nothing.
    expect(reduceSweep(adopted, engine(running(5)))).toBe(adopted);

    const first = makeResult(plan.configs[0]);
    const next = reduceSweep(adopted, engine(finished(5, first)));
    expect(next.sweeps.values).toMatchObject({ index: 1, runId: null, afterRunId: 5, status: 'running' });
    expect(next.sweeps.values!.points).toEqual([{ value: '1', result: first }]);
    expect(pendingConfig(next)?.config).toBe(plan.configs[1]);
  });

  it('runs every value in turn and ends with the SweepResult', () => {
    const results = plan.configs.map((config) => makeResult(config));
    const state = play(start(), [
      engine(running(1)),
      engine(finished(1, results[0])),
      engine(running(2)),
      engine(finished(2, results[1])),
      engine(finished(3, results[2]), 61_000),
    ]);
    const sweep = state.sweeps.values!;
    expect(sweep.status).toBe('finished');
    expect(activeSweep(state)).toBeNull();
    expect(pendingConfig(state)).toBeNull();
    expect(sweep.result).toEqual({
      kind: 'sweep',
      setting: 'auxLogits',
      values: ['1', '2', '3'],
      base,
      points: [
        { value: '1', result: results[0] },
        { value: '2', result: results[1] },
        { value: '3', result: results[2] },
      ],
      seconds: 60,
    });
    expect(sweepProgress(sweep, null)).toEqual({ fraction: 1, current: null });
  });

  it('a cancelled run stops the sweep and keeps the finished points', () => {
    const state = play(start(), [engine(running(1)), engine(finished(1, makeResult(plan.configs[0]))), engine(running(2))]);
    const cancelling = reduceSweep(state, { type: 'cancel' });
    expect(cancelling.sweeps.values!.status).toBe('cancelling');
    expect(activeSweep(cancelling)).not.toBeNull();
    const cancelled = reduceSweep(cancelling, engine({ runId: 2, status: 'cancelled', result: null, failure: null }));
    expect(cancelled.sweeps.values).toMatchObject({ status: 'cancelled', index: 1 });
    expect(cancelled.sweeps.values!.points.map((p) => p.value)).toEqual(['1']);
    expect(pendingConfig(cancelled)).toBeNull();
    // The engine's later events are not the sweep's business any more.
    expect(reduceSweep(cancelled, engine(running(3)))).toBe(cancelled);
  });

  it('the main Cancel button (the engine cancelled on its own) stops the sweep too', () => {
    const state = play(start(), [engine(running(1)), engine({ runId: 1, status: 'cancelled', result: null, failure: null })]);
    expect(state.sweeps.values).toMatchObject({ status: 'cancelled', points: [] });
  });

  it('a failed run stops the sweep with its reason and keeps the points', () => {
    const state = play(start(), [
      engine(running(1)),
      engine(finished(1, makeResult(plan.configs[0]))),
      engine({ runId: 2, status: 'failed', result: null, failure: 'WebGPU ran out of memory' }),
    ]);
    expect(state.sweeps.values).toMatchObject({ status: 'failed', failure: 'WebGPU ran out of memory', index: 1 });
    expect(state.sweeps.values!.points).toHaveLength(1);
  });

  it('cancel between two values stops at once; a cancel as the run finishes keeps its point and starts no more', () => {
    const between = play(start(), [engine(running(1)), engine(finished(1, makeResult(plan.configs[0]))), { type: 'cancel' }]);
    expect(between.sweeps.values).toMatchObject({ status: 'cancelled', index: 1 });
    const late = play(start(), [engine(running(1)), { type: 'cancel' }, engine(finished(1, makeResult(plan.configs[0])))]);
    expect(late.sweeps.values).toMatchObject({ status: 'cancelled', index: 1 });
    expect(late.sweeps.values!.points).toHaveLength(1);
    expect(pendingConfig(late)).toBeNull();
  });

  it('another run in the middle of the sweep stops it', () => {
    const state = play(start(), [engine(running(1)), engine(running(7))]);
    expect(state.sweeps.values).toMatchObject({ status: 'failed', failure: 'another run started in the middle of the sweep' });
  });

  it('runs one sweep at a time and keeps the latest of each kind', () => {
    const layers = planSweep(base, 'layers=all').plan!;
    const busy = start();
    expect(reduceSweep(busy, { type: 'start', kind: 'layers', base, plan: layers, afterRunId: 0, now: 0 })).toBe(busy);
    const done = play(busy, [engine({ runId: 1, status: 'failed', result: null, failure: 'x' })]);
    const next = reduceSweep(done, { type: 'start', kind: 'layers', base, plan: layers, afterRunId: 1, now: 0 });
    expect(next.latest).toBe('layers');
    expect(next.sweeps.values?.status).toBe('failed');
    expect(next.sweeps.layers).toMatchObject({ status: 'running', id: 2 });
  });

  it('progress: finished values plus the engine fraction of the current one', () => {
    const state = play(start(), [engine(running(1)), engine(finished(1, makeResult(plan.configs[0]))), engine(running(2))]);
    const sweep = state.sweeps.values!;
    const progress = { step: 5, totalSteps: 10, stepsPerSecond: 1, fraction: 0.5, secondsLeft: 5 };
    expect(sweepProgress(sweep, { runId: 2, progress })).toEqual({ fraction: 0.5, current: 0.5 });
    // Another run's progress is not this sweep's.
    expect(sweepProgress(sweep, { runId: 9, progress })).toEqual({ fraction: 1 / 3, current: null });
  });
});
