/**
 * What the page knows about the engine and the current run, as one pure reducer: messages from the
 * worker and the user's actions in, UI state out. No React, no DOM, so it is tested on its own.
 * The parts live beside it (runTypes, uiTypes, runRecords, runEvents, workerMessages); their names
 * are exported from here too, so the page imports the run's state from one place.
 */
import { isActive, newRun, restoredRun } from './runRecords';
import type { RunState } from './runTypes';
import { initialSweepState, reduceSweep } from './sweepState';
import type { DrawState, UiAction, UiState } from './uiTypes';
import { reduceMessage } from './workerMessages';

export type { DataState, KeptRun, RunProgress, RunState, RunStatus } from './runTypes';
export type { DrawState, UiAction, UiState } from './uiTypes';
export { isActive, keptRun, restoredRun } from './runRecords';
export { MAX_CURVE_POINTS, appendBounded } from './runEvents';

export const initialDrawState: DrawState = { models: [], runId: null, version: 0, guesses: null };

export const initialUiState: UiState = {
  backend: null,
  data: { status: 'unknown' },
  run: null,
  deviceLost: null,
  workerError: null,
  draw: initialDrawState,
  sweeps: initialSweepState,
};

export function reduceUi(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'message':
      return reduceMessage(state, action.message);
    case 'start':
      return {
        ...state,
        run: newRun(action.runId, action.config),
        deviceLost: null,
        workerError: null,
        engineRestarted: null,
      };
    case 'start-sweep': {
      const { runId, plan } = action;
      const started = reduceUi(state, { type: 'start', runId, config: plan.configs[0] });
      return {
        ...started,
        run: { ...started.run!, sweepIndex: 0 },
        sweeps: reduceSweep(state.sweeps, { ...action, type: 'start' }),
      };
    }
    case 'cancel': {
      const sweeps = reduceSweep(state.sweeps, action);
      const run: RunState | null = state.run?.status === 'running' ? { ...state.run, status: 'cancelling' } : state.run;
      // Nothing to cancel: the same state, so nothing redraws.
      return run === state.run && sweeps === state.sweeps ? state : { ...state, run, sweeps };
    }
    case 'pause':
    case 'resume': {
      const run = state.run;
      if (!run || run.status !== 'running' || (action.type === 'pause') === (run.paused !== null)) return state;
      const paused = action.type === 'pause' ? { phase: run.phase, atStage: false } : null;
      return { ...state, run: { ...run, paused } };
    }
    case 'retry-data':
      return { ...state, data: { status: 'loading', loadedBytes: 0, totalBytes: null } };
    case 'restart':
      // A fresh worker holds no weights either, and knows nothing of a sweep the old one ran.
      return {
        ...state,
        backend: null,
        data: { status: 'unknown' },
        deviceLost: null,
        workerError: null,
        engineRestarted: null,
        draw: initialDrawState,
        sweeps: reduceSweep(state.sweeps, { type: 'ended', reason: 'the engine was restarted' }),
      };
    case 'dismiss-worker-error':
      return { ...state, workerError: null };
    case 'restore':
      if (isActive(state.run)) return state;
      return { ...state, run: restoredRun(action.run) };
  }
}
