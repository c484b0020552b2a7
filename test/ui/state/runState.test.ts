import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import type { RunEvent } from '../../../src/experiment/events';
import {
  initialUiState,
  isActive,
  reduceUi,
  type KeptRun,
  type UiAction,
  type UiState,
} from '../../../src/ui/state/runState';
import type { FromWorker } from '../../../src/worker/protocol';
import { ALIGNED_POINTS, makeResult, makeTheorem, point } from '../../support/ui/fixtures';

const config = preset('tiny');
const msg = (message: FromWorker): UiAction => ({ type: 'message', message });
const ev = (event: RunEvent, runId = 1): UiAction => msg({ type: 'run', runId, event });
const play = (actions: UiAction[], state: UiState = initialUiState) => actions.reduce(reduceUi, state);
const started = () => play([{ type: 'start', runId: 1, config }]);

describe('runState reducer', () => {
  it('starts a run in the prepare phase with empty pictures', () => {
    const state = started();
    expect(state.run).toMatchObject({
      runId: 1,
      status: 'running',
      phase: 'prepare',
      progress: null,
      digits: null,
      noise: null,
      result: null,
      theorem: null,
    });
    expect(state.run?.config).toEqual(config);
    expect(isActive(state.run)).toBe(true);
  });

  it('follows phase, progress, metrics, digits and noise events', () => {
    const digits: RunEvent = { type: 'digits', images: [[1, 2]], labels: [7] };
    const p0 = point(0, 0, { teacher: [0.1, 0.12] }, { teacher: [3] });
    const p1 = point(50, 0.5, { teacher: [0.8, 0.82] }, { teacher: [7] });
    const state = play(
      [
        ev({ type: 'phase', phase: 'teacher', message: 'The teacher learns', totalSteps: 100 }),
        ev(digits),
        ev({ type: 'metrics', phase: 'teacher', point: p0 }),
        ev({ type: 'metrics', phase: 'teacher', point: p1 }),
        ev({
          type: 'progress',
          phase: 'teacher',
          step: 50,
          totalSteps: 100,
          stepsPerSecond: 20,
          fraction: 0.2,
          secondsLeft: 40,
        }),
        ev({ type: 'noise', images: [[0.5]], auxProbabilities: [[0.25, 0.75]] }),
      ],
      started(),
    );
    const run = state.run!;
    expect(run.phase).toBe('teacher');
    expect(run.phaseMessage).toBe('The teacher learns');
    expect(run.progress).toEqual({ step: 50, totalSteps: 100, stepsPerSecond: 20, fraction: 0.2, secondsLeft: 40 });
    expect(run.curves.teacher).toEqual([p0, p1]);
    expect(run.curves.distill).toEqual([]);
    expect(run.digits).toEqual({ images: [[1, 2]], labels: [7] });
    expect(run.noise).toEqual({ images: [[0.5]], auxProbabilities: [[0.25, 0.75]] });
  });

  it('keeps unchanged parts of the state by reference on a progress event (charts do not redraw)', () => {
    const before = play([ev({ type: 'metrics', phase: 'teacher', point: point(0, 0, { teacher: [0.1] }) })], started());
    const after = reduceUi(
      before,
      ev({
        type: 'progress',
        phase: 'teacher',
        step: 1,
        totalSteps: 9,
        stepsPerSecond: 1,
        fraction: 0.1,
        secondsLeft: 8,
      }),
    );
    expect(after.run!.curves).toBe(before.run!.curves);
    expect(after.run!.progress?.step).toBe(1);
  });

  it('ignores events of an older run', () => {
    const state = play([
      { type: 'start', runId: 2, config },
      ev({ type: 'phase', phase: 'teacher', message: 'old', totalSteps: 1 }, 1),
    ]);
    expect(state.run?.phase).toBe('prepare');
    expect(state.run?.runId).toBe(2);
  });

  it('finishes with the result and a full progress bar', () => {
    const result = makeResult(config);
    const state = play(
      [
        ev({
          type: 'progress',
          phase: 'distill',
          step: 9,
          totalSteps: 10,
          stepsPerSecond: 5,
          fraction: 0.9,
          secondsLeft: 2,
        }),
        ev({ type: 'finished', result }),
      ],
      started(),
    );
    expect(state.run?.status).toBe('finished');
    expect(state.run?.result).toBe(result);
    expect(state.run?.progress?.fraction).toBe(1);
    expect(isActive(state.run)).toBe(false);
  });

  it('stores the one-step theorem when it arrives, and keeps the curves by reference', () => {
    const theorem = makeTheorem();
    const before = play(
      [
        ev({ type: 'metrics', phase: 'distill', point: point(0, 0, { student_aux: [0.1] }) }),
        ev({ type: 'phase', phase: 'theorem', message: 'One step', totalSteps: 4 }),
      ],
      started(),
    );
    expect(before.run?.theorem).toBeNull();
    const after = reduceUi(before, ev({ type: 'theorem', result: theorem }));
    expect(after.run?.theorem).toBe(theorem);
    expect(after.run?.status).toBe('running');
    expect(after.run?.curves).toBe(before.run?.curves);
    // The finished result carries it too; the run ends in the theorem phase.
    const result = { ...makeResult(config), theorem };
    const done = reduceUi(after, ev({ type: 'finished', result }));
    expect(done.run).toMatchObject({ status: 'finished', phase: 'theorem', theorem });
  });

  it('takes the theorem from the finished result when no theorem event came, and has none in runs without it', () => {
    const theorem = makeTheorem();
    const withIt = play([ev({ type: 'finished', result: { ...makeResult(config), theorem } })], started());
    expect(withIt.run?.theorem).toBe(theorem);
    expect(withIt.run?.phase).toBe('theorem');
    const without = play([ev({ type: 'finished', result: makeResult(config) })], started());
    expect(without.run?.theorem).toBeNull();
    expect(without.run?.phase).toBe('evaluate');
  });

  it('a new run forgets the previous theorem', () => {
    const first = play([ev({ type: 'theorem', result: makeTheorem() })], started());
    expect(first.run?.theorem).not.toBeNull();
    expect(reduceUi(first, { type: 'start', runId: 2, config }).run?.theorem).toBeNull();
  });

  it('cancels: cancelling until the engine confirms, then cancelled with where it stopped', () => {
    const cancelling = play([{ type: 'cancel' }], started());
    expect(cancelling.run?.status).toBe('cancelling');
    expect(isActive(cancelling.run)).toBe(true);
    // Progress still arriving does not undo the cancel.
    const still = reduceUi(
      cancelling,
      ev({
        type: 'progress',
        phase: 'teacher',
        step: 3,
        totalSteps: 9,
        stepsPerSecond: 1,
        fraction: 0.1,
        secondsLeft: 8,
      }),
    );
    expect(still.run?.status).toBe('cancelling');
    const done = reduceUi(still, ev({ type: 'cancelled', phase: 'teacher', step: 4 }));
    expect(done.run?.status).toBe('cancelled');
    expect(done.run?.cancelledAt).toEqual({ phase: 'teacher', step: 4 });
    expect(isActive(done.run)).toBe(false);
    // A cancel after the end changes nothing.
    expect(reduceUi(done, { type: 'cancel' })).toBe(done);
  });

  it('records a failed run with its phase and reason, and ignores later events of it', () => {
    const failed = play([ev({ type: 'failed', phase: 'distill', reason: 'out of memory' })], started());
    expect(failed.run).toMatchObject({
      status: 'failed',
      phase: 'distill',
      failure: 'out of memory',
      failedBy: 'engine',
      engineDone: true,
    });
    expect(reduceUi(failed, ev({ type: 'phase', phase: 'evaluate', message: 'x', totalSteps: 1 }))).toBe(failed);
  });

  it('tracks the backend and the MNIST download', () => {
    const choice = {
      name: 'wasm' as const,
      adapter: null,
      fallbacks: [{ backend: 'webgpu' as const, reason: 'no adapter' }],
    };
    let state = play([
      msg({ type: 'backend', choice }),
      msg({ type: 'data-progress', loadedBytes: 5, totalBytes: 10 }),
    ]);
    expect(state.backend).toEqual(choice);
    expect(state.data).toEqual({ status: 'loading', loadedBytes: 5, totalBytes: 10 });
    state = reduceUi(state, msg({ type: 'data-ready' }));
    expect(state.data).toEqual({ status: 'ready' });
  });

  it('a failed download ends a run that was waiting for it; retry-data loads again', () => {
    const state = play([msg({ type: 'data-failed', reason: 'HTTP 404' })], started());
    expect(state.data).toEqual({ status: 'failed', reason: 'HTTP 404' });
    expect(state.run?.status).toBe('failed');
    expect(state.run?.failure).toContain('HTTP 404');
    expect(state.run?.engineDone).toBe(false);
    const retry = reduceUi(state, { type: 'retry-data' });
    expect(retry.data.status).toBe('loading');
    // Should the worker go on with the run after all, the page follows it again.
    const resumed = reduceUi(retry, ev({ type: 'phase', phase: 'teacher', message: 'go', totalSteps: 5 }));
    expect(resumed.run?.status).toBe('running');
    expect(resumed.run?.failure).toBeNull();
  });

  it('a failed download does not end a run that is already training', () => {
    const state = play(
      [
        ev({ type: 'phase', phase: 'teacher', message: 'go', totalSteps: 5 }),
        msg({ type: 'data-failed', reason: 'x' }),
      ],
      started(),
    );
    expect(state.run?.status).toBe('running');
  });

  it('device-lost stops the run; restart forgets backend and data', () => {
    const lost = play(
      [
        msg({ type: 'backend', choice: { name: 'webgpu', adapter: 'GPU', fallbacks: [] } }),
        msg({ type: 'device-lost', reason: 'GPU reset' }),
      ],
      started(),
    );
    expect(lost.deviceLost).toBe('GPU reset');
    expect(lost.run?.status).toBe('failed');
    const restarted = reduceUi(lost, { type: 'restart' });
    expect(restarted).toMatchObject({ backend: null, data: { status: 'unknown' }, deviceLost: null });
  });

  it("the engine's own end of a run the page already ended confirms it without repeating the failure", () => {
    const lost = play(
      [
        msg({ type: 'device-lost', reason: 'GPU reset' }),
        ev({ type: 'failed', phase: 'teacher', reason: 'GPU device lost: GPU reset' }),
      ],
      started(),
    );
    expect(lost.run).toMatchObject({ status: 'failed', failedBy: 'device', engineDone: true });
    const cancelled = play(
      [msg({ type: 'device-lost', reason: 'GPU reset' }), ev({ type: 'cancelled', phase: 'teacher', step: 3 })],
      started(),
    );
    expect(cancelled.run).toMatchObject({ status: 'failed', failedBy: 'device', engineDone: true, cancelledAt: null });
    const noData = play(
      [
        msg({ type: 'data-failed', reason: 'HTTP 404' }),
        ev({ type: 'failed', phase: 'prepare', reason: 'MNIST could not be loaded' }),
      ],
      started(),
    );
    expect(noData.run).toMatchObject({ status: 'failed', failedBy: 'data', engineDone: true });
  });

  it('a run that goes on after a worker error is followed to its result', () => {
    const state = play(
      [msg({ type: 'worker-error', reason: 'a hiccup' }), ev({ type: 'finished', result: makeResult(config) })],
      started(),
    );
    expect(state.run).toMatchObject({ status: 'finished', failedBy: null, failure: null });
    expect(state.workerError).toBe('a hiccup');
  });

  it('worker-error is shown until dismissed and frees the Run button', () => {
    const state = play([msg({ type: 'worker-error', reason: 'boom' })], started());
    expect(state.workerError).toBe('boom');
    expect(isActive(state.run)).toBe(false);
    expect(reduceUi(state, { type: 'dismiss-worker-error' }).workerError).toBeNull();
  });

  it('a new run clears the previous run and its errors', () => {
    const first = play(
      [ev({ type: 'finished', result: makeResult(config) }), msg({ type: 'worker-error', reason: 'late' })],
      started(),
    );
    const second = reduceUi(first, { type: 'start', runId: 2, config });
    expect(second.run).toMatchObject({ runId: 2, status: 'running', result: null });
    expect(second.workerError).toBeNull();
  });
});

describe('runState reducer: draw a digit', () => {
  const guess = (digit: number, probability: number) => ({ digit, probability, probabilities: [] });

  it('starts with no models and no guesses', () => {
    expect(initialUiState.draw).toEqual({ models: [], runId: null, version: 0, guesses: null });
  });

  it('follows the models the worker holds, counting each update, across runs', () => {
    const state = play(
      [
        msg({ type: 'models-ready', runId: 1, models: ['teacher'] }),
        msg({ type: 'models-ready', runId: 1, models: ['teacher', 'student_aux', 'cross_aux'] }),
      ],
      started(),
    );
    expect(state.draw).toMatchObject({ models: ['teacher', 'student_aux', 'cross_aux'], runId: 1, version: 2 });
    // A new run keeps them until its own first weights replace them.
    const next = reduceUi(state, { type: 'start', runId: 2, config });
    expect(next.draw.models).toHaveLength(3);
    expect(reduceUi(next, msg({ type: 'models-ready', runId: 2, models: ['teacher'] })).draw).toMatchObject({
      models: ['teacher'],
      runId: 2,
      version: 3,
    });
  });

  it('keeps the newest answer: an older request answered late does not replace it', () => {
    const state = play([
      msg({ type: 'guesses', requestId: 2, guesses: { teacher: guess(7, 0.9) } }),
      msg({ type: 'guesses', requestId: 1, guesses: { teacher: guess(1, 0.5) } }),
    ]);
    expect(state.draw.guesses).toEqual({ requestId: 2, guesses: { teacher: guess(7, 0.9) } });
    expect(reduceUi(state, msg({ type: 'guesses', requestId: 3, guesses: {} })).draw.guesses?.requestId).toBe(3);
  });

  it("ignores a 'weights' run event should one reach the page, and forgets the models when the worker restarts", () => {
    const weights: RunEvent = { type: 'weights', phase: 'teacher', weights: {} };
    const before = play([msg({ type: 'models-ready', runId: 1, models: ['teacher'] })], started());
    const after = reduceUi(before, ev(weights));
    expect(after.run).toBe(before.run);
    expect(after.draw).toBe(before.draw);
    expect(reduceUi(after, { type: 'restart' }).draw).toEqual(initialUiState.draw);
  });

  describe("'restore': a saved run shown again", () => {
    const ranAt = Date.UTC(2026, 10, 29, 14, 32);
    const kept = (): KeptRun => {
      const result = {
        ...makeResult(config),
        curves: { teacher: [point(0, 0, { teacher: [0.1] })], distill: ALIGNED_POINTS },
      };
      return { result, theorem: makeTheorem(), digits: { images: [[1]], labels: [3] }, noise: null, ranAt };
    };

    it('shows it as a finished run, marked with when it ran, with its curves, theorem and pictures', () => {
      const saved = kept();
      const run = reduceUi(initialUiState, { type: 'restore', run: saved }).run!;
      expect(run).toMatchObject({
        status: 'finished',
        engineDone: true,
        phase: 'theorem',
        failure: null,
        result: saved.result,
        theorem: saved.theorem,
      });
      expect(run.config).toEqual(config);
      expect(run.curves).toEqual(saved.result.curves);
      expect(run.digits).toEqual(saved.digits);
      expect(run.restoredFrom).toEqual(new Date(ranAt));
      expect(isActive(run)).toBe(false);
      // Without the one-step experiment the last phase is the evaluation.
      expect(reduceUi(initialUiState, { type: 'restore', run: { ...saved, theorem: null } }).run?.phase).toBe(
        'evaluate',
      );
    });

    it('is never changed by worker messages, and a new run replaces it', () => {
      const restored = reduceUi(initialUiState, { type: 'restore', run: kept() });
      const finished: RunEvent = { type: 'finished', result: makeResult(config) };
      expect(reduceUi(restored, ev(finished, 0)).run).toBe(restored.run);
      expect(reduceUi(restored, ev({ type: 'failed', phase: 'teacher', reason: 'x' }, 1)).run).toBe(restored.run);
      const next = reduceUi(restored, { type: 'start', runId: 1, config });
      expect(next.run).toMatchObject({ runId: 1, status: 'running', result: null });
      expect(next.run?.restoredFrom).toBeUndefined();
    });

    it('is refused while a run is going, so a run in progress is never replaced', () => {
      const running = started();
      expect(reduceUi(running, { type: 'restore', run: kept() })).toBe(running);
      const cancelling = reduceUi(running, { type: 'cancel' });
      expect(reduceUi(cancelling, { type: 'restore', run: kept() })).toBe(cancelling);
    });
  });
});
