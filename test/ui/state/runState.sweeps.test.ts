/** reduceUi's side of a sweep: the sweep state, and the run the story shows for each value. */
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import type { RunEvent } from '../../../src/experiment/events';
import { planSweep, type SweepResult } from '../../../src/experiment/sweep/sweep';
import type { SweepEvent } from '../../../src/experiment/sweep/sweepRun';
import { activeSweep } from '../../../src/ui/state/sweepState';
import { initialUiState, isActive, reduceUi, type UiAction, type UiState } from '../../../src/ui/state/runState';
import type { FromWorker } from '../../../src/worker/protocol';
import { makeResult, point } from '../../support/ui/fixtures';

const base = preset('tiny');
const plan = planSweep(base, 'm=1,2,3').plan!;
const results = plan.configs.map((config) => makeResult(config));

const msg = (message: FromWorker): UiAction => ({ type: 'message', message });
const sweepEvent = (event: SweepEvent, runId = 1): UiAction => msg({ type: 'sweep', runId, event });
/** An event of value `index`'s run. */
const valueEvent = (index: number, event: RunEvent, runId = 1) =>
  sweepEvent({ type: 'sweep-run', index, value: plan.values[index], event }, runId);
const phase = (index: number) =>
  valueEvent(index, { type: 'phase', phase: 'teacher', message: `value ${index}`, totalSteps: 10 });
const metrics = (index: number, step: number) =>
  valueEvent(index, { type: 'metrics', phase: 'teacher', point: point(step, 0, { teacher: [0.5] }) });
const progress = (index: number, fraction: number) =>
  valueEvent(index, {
    type: 'progress',
    phase: 'teacher',
    step: fraction * 10,
    totalSteps: 10,
    stepsPerSecond: 5,
    fraction,
    secondsLeft: 1,
  });
/** Value `index` finishes: its run's 'finished', then its point. */
const finish = (index: number): UiAction[] => [
  valueEvent(index, { type: 'finished', result: results[index] }),
  sweepEvent({ type: 'sweep-point', index, point: { value: plan.values[index], result: results[index] } }),
];
const stopped = (index: number, event: Extract<RunEvent, { type: 'failed' | 'cancelled' }>) =>
  sweepEvent({ type: 'sweep-stopped', index, value: plan.values[index], event });
const sweepResult: SweepResult = {
  kind: 'sweep',
  setting: plan.setting,
  values: plan.values,
  base,
  points: plan.values.map((value, i) => ({ value, result: results[i] })),
  seconds: 3,
};
const play = (actions: UiAction[], state: UiState = initialUiState) => actions.reduce(reduceUi, state);
const started = (state: UiState = initialUiState) =>
  play([{ type: 'start-sweep', runId: 1, kind: 'values', base, plan, now: 100 }], state);

describe("reduceUi: a sweep's runs", () => {
  it("'start-sweep' starts the first value's run and the sweep under one run id", () => {
    const before = play([msg({ type: 'worker-error', reason: 'old' })]);
    const state = started(before);
    expect(state.run).toMatchObject({
      runId: 1,
      status: 'running',
      phase: 'prepare',
      sweepIndex: 0,
      engineDone: false,
      result: null,
    });
    expect(state.run!.config).toBe(plan.configs[0]);
    expect(state.sweeps.latest).toBe('values');
    expect(state.sweeps.sweeps.values).toMatchObject({
      runId: 1,
      status: 'running',
      index: 0,
      startedAt: 100,
      base,
      plan,
    });
    // As any start: the last run's errors are cleared.
    expect(state.workerError).toBeNull();
  });

  it("follows the first value's run events as a run", () => {
    const state = play([phase(0), metrics(0, 0), progress(0, 0.5)], started());
    expect(state.run).toMatchObject({
      runId: 1,
      sweepIndex: 0,
      phase: 'teacher',
      phaseMessage: 'value 0',
      status: 'running',
    });
    expect(state.run!.progress?.fraction).toBe(0.5);
    expect(state.run!.curves.teacher).toHaveLength(1);
    expect(state.run!.config).toBe(plan.configs[0]);
  });

  it("a value's 'finished' ends its run with the result (so history saves it), but not the engine's sweep", () => {
    const state = play([phase(0), progress(0, 0.9), ...finish(0)], started());
    expect(state.run).toMatchObject({ status: 'finished', engineDone: false, sweepIndex: 0 });
    expect(state.run!.result).toBe(results[0]);
    expect(state.run!.progress?.fraction).toBe(1);
    expect(isActive(state.run)).toBe(false);
    expect(activeSweep(state.sweeps)).toMatchObject({ index: 1, status: 'running' });
    expect(state.sweeps.sweeps.values!.points).toEqual([{ value: '1', result: results[0] }]);
  });

  it("the next value's first event starts a fresh run of that value's config", () => {
    const state = play([phase(0), metrics(0, 0), metrics(0, 5), ...finish(0), phase(1)], started());
    const run = state.run!;
    expect(run).toMatchObject({
      runId: 1,
      sweepIndex: 1,
      status: 'running',
      engineDone: false,
      phase: 'teacher',
      phaseMessage: 'value 1',
      result: null,
      progress: null,
    });
    expect(run.config).toBe(plan.configs[1]);
    expect(run.config.auxLogits).toBe(2);
    // The curves start again.
    expect(run.curves).toEqual({ teacher: [], distill: [] });
    const on = play([metrics(1, 0)], state);
    expect(on.run!.curves.teacher).toHaveLength(1);
    expect(on.run!.config).toBe(plan.configs[1]);
  });

  it("'sweep-finished' is the engine's last word: engineDone, and later events change nothing", () => {
    const state = play(
      [...finish(0), ...finish(1), phase(2), ...finish(2), sweepEvent({ type: 'sweep-finished', result: sweepResult })],
      started(),
    );
    expect(state.run).toMatchObject({ status: 'finished', engineDone: true, sweepIndex: 2 });
    expect(state.run!.result).toBe(results[2]);
    expect(state.sweeps.sweeps.values).toMatchObject({ status: 'finished' });
    expect(state.sweeps.sweeps.values!.result).toBe(sweepResult);
    expect(activeSweep(state.sweeps)).toBeNull();
    expect(reduceUi(state, phase(0)).run).toBe(state.run);
  });

  it("cancel: the value's run and the sweep cancel; the engine's 'sweep-stopped' ends both cancelled", () => {
    const going = play([...finish(0), phase(1), progress(1, 0.3)], started());
    const cancelling = reduceUi(going, { type: 'cancel' });
    expect(cancelling.run!.status).toBe('cancelling');
    expect(cancelling.sweeps.sweeps.values!.status).toBe('cancelling');
    const state = reduceUi(cancelling, stopped(1, { type: 'cancelled', phase: 'teacher', step: 3 }));
    expect(state.run).toMatchObject({
      status: 'cancelled',
      engineDone: true,
      sweepIndex: 1,
      cancelledAt: { phase: 'teacher', step: 3 },
    });
    expect(state.run!.config).toBe(plan.configs[1]);
    expect(state.sweeps.sweeps.values).toMatchObject({ status: 'cancelled', index: 1 });
    expect(state.sweeps.sweeps.values!.points).toHaveLength(1);
  });

  it('cancel between two values: the sweep cancels; the run that stops is the next value, not the finished one', () => {
    const between = play([phase(0), ...finish(0)], started());
    const cancelling = reduceUi(between, { type: 'cancel' });
    // The finished run stays finished; the sweep waits for the engine.
    expect(cancelling.run).toBe(between.run);
    expect(cancelling.sweeps.sweeps.values!.status).toBe('cancelling');
    // The engine had already begun the next value: its run shows as cancelling too.
    const next = reduceUi(cancelling, phase(1));
    expect(next.run).toMatchObject({ sweepIndex: 1, status: 'cancelling' });
    // Or it stops the next value before any of its events.
    const state = reduceUi(cancelling, stopped(1, { type: 'cancelled', phase: 'prepare', step: 0 }));
    expect(state.run).toMatchObject({ status: 'cancelled', engineDone: true, sweepIndex: 1, result: null });
    expect(state.run!.config).toBe(plan.configs[1]);
    expect(state.sweeps.sweeps.values).toMatchObject({ status: 'cancelled', index: 1 });
  });

  it("a value that fails ends its run and the sweep with the engine's reason", () => {
    const state = play(
      [...finish(0), phase(1), stopped(1, { type: 'failed', phase: 'distill', reason: 'WebGPU ran out of memory' })],
      started(),
    );
    expect(state.run).toMatchObject({
      status: 'failed',
      failedBy: 'engine',
      failure: 'WebGPU ran out of memory',
      engineDone: true,
      sweepIndex: 1,
    });
    expect(state.sweeps.sweeps.values).toMatchObject({
      status: 'failed',
      failure: 'WebGPU ran out of memory',
      index: 1,
    });
    expect(state.sweeps.sweeps.values!.points).toHaveLength(1);
  });

  it("a value that fails before its first event is that value's failure, not the finished value's", () => {
    const state = play(
      [
        ...finish(0),
        stopped(1, { type: 'failed', phase: 'prepare', reason: 'the run at auxLogits = 2 ended without a result' }),
      ],
      started(),
    );
    expect(state.run).toMatchObject({
      status: 'failed',
      sweepIndex: 1,
      result: null,
      failure: 'the run at auxLogits = 2 ended without a result',
    });
    expect(state.run!.config).toBe(plan.configs[1]);
  });

  it('a worker error ends the run and the sweep with the reason', () => {
    const state = play([...finish(0), phase(1), msg({ type: 'worker-error', reason: 'boom' })], started());
    expect(state.run).toMatchObject({ status: 'failed', failedBy: 'worker', failure: 'The engine hit an error: boom' });
    expect(state.sweeps.sweeps.values).toMatchObject({
      status: 'failed',
      failure: 'The engine hit an error: boom',
      index: 1,
    });
    expect(state.sweeps.sweeps.values!.points).toHaveLength(1);
    expect(activeSweep(state.sweeps)).toBeNull();
  });

  it('a worker error or a lost device between two values ends the sweep too', () => {
    const between = play([...finish(0)], started());
    const error = reduceUi(between, msg({ type: 'worker-error', reason: 'boom' }));
    expect(error.sweeps.sweeps.values).toMatchObject({ status: 'failed', failure: 'The engine hit an error: boom' });
    // The finished value's run keeps its result.
    expect(error.run).toMatchObject({ status: 'finished', sweepIndex: 0 });
    expect(error.run!.result).toBe(results[0]);
    const lost = reduceUi(between, msg({ type: 'device-lost', reason: 'gone' }));
    expect(lost.sweeps.sweeps.values).toMatchObject({ status: 'failed', failure: 'The GPU device was lost: gone' });
  });

  it('a lost device ends the run and the sweep', () => {
    const state = play([phase(0), msg({ type: 'device-lost', reason: 'gone' })], started());
    expect(state.run).toMatchObject({ status: 'failed', failedBy: 'device' });
    expect(state.sweeps.sweeps.values).toMatchObject({
      status: 'failed',
      failure: 'The GPU device was lost: gone',
      index: 0,
    });
  });

  it('failed MNIST download ends a sweep still waiting for its data', () => {
    const state = play([msg({ type: 'data-failed', reason: 'offline' })], started());
    expect(state.run).toMatchObject({ status: 'failed', failedBy: 'data' });
    expect(state.sweeps.sweeps.values).toMatchObject({
      status: 'failed',
      failure: 'MNIST could not be loaded: offline',
    });
  });

  it('a restarted engine ends the sweep', () => {
    const state = play([phase(0), { type: 'restart' }], started());
    expect(state.sweeps.sweeps.values).toMatchObject({ status: 'failed', failure: 'the engine was restarted' });
  });

  it("ignores another run id's sweep events", () => {
    const state = play([phase(0)], started());
    const other = reduceUi(state, valueEvent(1, { type: 'phase', phase: 'distill', message: 'x', totalSteps: 1 }, 7));
    expect(other.run).toBe(state.run);
    expect(other.sweeps).toBe(state.sweeps);
  });

  it('a plain run started during a sweep takes the story; the engine then stops the sweep', () => {
    const state = play([...finish(0), { type: 'start', runId: 2, config: base }], started());
    expect(state.run).toMatchObject({ runId: 2, status: 'running' });
    expect(state.run!.sweepIndex).toBeUndefined();
    const stoppedSweep = reduceUi(state, stopped(1, { type: 'cancelled', phase: 'prepare', step: 0 }));
    expect(stoppedSweep.run).toBe(state.run);
    expect(stoppedSweep.sweeps.sweeps.values).toMatchObject({ status: 'cancelled' });
  });
});
