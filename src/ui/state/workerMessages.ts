/** The worker's messages, folded into the page's state (pure): the run, the sweeps, data and draw. */
import type { FromWorker } from '../../worker/protocol';
import { reduceRunEvent } from './runEvents';
import { isActive, newRun } from './runRecords';
import type { RunState } from './runTypes';
import { reduceSweep, type SweepState } from './sweepState';
import type { UiState } from './uiTypes';

/** Ends a run the engine will probably not finish (the data, the device or the worker failed). */
function endRun(run: RunState | null, by: 'data' | 'device' | 'worker', reason: string): RunState | null {
  if (!run || !isActive(run)) return run;
  return { ...run, status: 'failed', failedBy: by, failure: reason };
}

/**
 * The run of a sweep's current value: a fresh run for each value (so the story follows it), fed
 * that value's events; the sweep's end is the engine's last word on it.
 */
function reduceSweepRun(state: UiState, message: Extract<FromWorker, { type: 'sweep' }>): RunState | null {
  const { run } = state;
  if (!run || message.runId !== run.runId || run.engineDone) return run;
  const event = message.event;
  // The run of value `index`: this one, or a fresh one when the engine moved on to the next value
  // (cancelling, when the page already asked the sweep to stop).
  const runOf = (index: number): RunState => {
    const sweep = Object.values(state.sweeps.sweeps).find((s) => s?.runId === run.runId);
    if (run.sweepIndex === index || !sweep) return run;
    return {
      ...newRun(run.runId, sweep.plan.configs[index]),
      sweepIndex: index,
      status: sweep.status === 'cancelling' ? 'cancelling' : 'running',
    };
  };
  switch (event.type) {
    case 'sweep-run':
      // A value's end is not the sweep's: the engine goes on to the next value.
      return { ...reduceRunEvent(runOf(event.index), event.event), engineDone: false };
    case 'sweep-point':
      return run;
    case 'sweep-stopped':
      // It may stop the next value before that value said anything: its run stops, not the finished one.
      return reduceRunEvent(runOf(event.index), event.event);
    case 'sweep-finished':
      return { ...run, engineDone: true };
  }
}

/**
 * The page ended the run underneath the engine (the device or the worker failed): a sweep still
 * going stops with it, also between two values, when its run shows as finished.
 */
function endSweep(sweeps: SweepState, reason: string): SweepState {
  return reduceSweep(sweeps, { type: 'ended', reason });
}

export function reduceMessage(state: UiState, message: FromWorker): UiState {
  switch (message.type) {
    case 'backend':
      return { ...state, backend: message.choice };
    case 'data-progress':
      return {
        ...state,
        data: { status: 'loading', loadedBytes: message.loadedBytes, totalBytes: message.totalBytes },
      };
    case 'data-ready':
      return { ...state, data: { status: 'ready' } };
    case 'data-failed': {
      // A run that has heard nothing from the engine yet was waiting for the data: it cannot start.
      const waiting = state.run && isActive(state.run) && state.run.phaseMessage === '' && state.run.progress === null;
      const reason = `MNIST could not be loaded: ${message.reason}`;
      const run = waiting ? endRun(state.run, 'data', reason) : state.run;
      return {
        ...state,
        data: { status: 'failed', reason: message.reason },
        run,
        sweeps: waiting ? endSweep(state.sweeps, reason) : state.sweeps,
      };
    }
    case 'run':
      if (!state.run || message.runId !== state.run.runId || state.run.engineDone) return state;
      return { ...state, run: reduceRunEvent(state.run, message.event) };
    case 'sweep':
      return {
        ...state,
        run: reduceSweepRun(state, message),
        sweeps: reduceSweep(state.sweeps, { type: 'event', runId: message.runId, event: message.event }),
      };
    case 'device-lost': {
      const reason = `The GPU device was lost: ${message.reason}`;
      return {
        ...state,
        deviceLost: message.reason,
        run: endRun(state.run, 'device', reason),
        sweeps: endSweep(state.sweeps, reason),
      };
    }
    case 'worker-error': {
      const reason = `The engine hit an error: ${message.reason}`;
      return {
        ...state,
        workerError: message.reason,
        run: endRun(state.run, 'worker', reason),
        sweeps: endSweep(state.sweeps, reason),
      };
    }
    case 'engine-restarted':
      return { ...state, engineRestarted: message.reason };
    case 'models-ready':
      return {
        ...state,
        draw: { ...state.draw, models: message.models, runId: message.runId, version: state.draw.version + 1 },
      };
    case 'final-weights':
      return state; // held off the state, for the saved run (draw/finalWeights.ts)
    case 'guesses': {
      // Answers may overtake one another: an older request's never replaces a newer one's.
      const latest = state.draw.guesses;
      if (latest && message.requestId < latest.requestId) return state;
      return { ...state, draw: { ...state.draw, guesses: { requestId: message.requestId, guesses: message.guesses } } };
    }
    case 'bench-row':
    case 'bench-done':
    case 'bench-failed':
      return state; // the benchmark page's business (BenchPage)
    case 'pong':
      return state; // heard by the watchdog (useEngineWatchdog), which only needs to know the worker is alive
  }
}
