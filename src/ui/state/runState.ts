/**
 * What the page knows about the engine and the current run, as one pure reducer: messages from the
 * worker and the user's actions in, UI state out. No React, no DOM, so it is tested on its own.
 */
import type { BackendChoice } from '../../experiment/device/backend';
import type { ExperimentConfig } from '../../experiment/config';
import {
  type CurvePoint,
  type DrawModel,
  type ExperimentResult,
  type OneStepResult,
  type TrainingPhase,
} from '../../experiment/results';
import { PHASE_ORDER, type ModelGroupAt, type Phase } from '../../experiment/events';
import type { SweepPlan } from '../../experiment/sweep/sweep';
import type { DrawWeights, FromWorker, Guesses } from '../../worker/protocol';
import { initialSweepState, reduceSweep, type SweepKind, type SweepState } from './sweepState';

/** The MNIST download inside the worker. 'unknown' until the worker says anything about it. */
export type DataState =
  | { status: 'unknown' }
  | { status: 'loading'; loadedBytes: number; totalBytes: number | null }
  | { status: 'ready' }
  | { status: 'failed'; reason: string };

export type RunStatus = 'running' | 'cancelling' | 'finished' | 'cancelled' | 'failed';

export interface RunProgress {
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  /** Whole run, 0–1. */
  fraction: number;
  secondsLeft: number | null;
}

export interface RunState {
  runId: number;
  config: ExperimentConfig;
  status: RunStatus;
  /** Only ever moves forward (a run in groups of models moves through the phases once per group). */
  phase: Phase;
  /** The group of models the phase is of, when the run trains its models in groups one after another. */
  group: ModelGroupAt | null;
  /** Held by the lecturer (between two steps) or at a stage the run was asked to stop at; null while going. */
  paused: { phase: Phase; atStage: boolean } | null;
  /** The engine's own sentence about the phase, empty until the first phase event. */
  phaseMessage: string;
  progress: RunProgress | null;
  curves: Record<TrainingPhase, CurvePoint[]>;
  digits: { images: number[][]; labels: number[] } | null;
  noise: { images: number[][]; auxProbabilities: number[][] } | null;
  /**
   * The result, as soon as the six conditions are tested (the 'evaluated' event): from then on the
   * verdict is final, while the "why" measurements may still run (status 'running').
   */
  result: ExperimentResult | null;
  /** The one-step experiment (why the trait travels), once the engine has measured it; null in runs without it. */
  theorem: OneStepResult | null;
  /** Why the run stopped, when it failed. */
  failure: string | null;
  /**
   * Who ended a failed run: the engine itself, or the page because the data, the GPU device or the
   * worker failed (each of those has its own message, so the run's failure is not repeated).
   */
  failedBy: 'engine' | 'data' | 'device' | 'worker' | null;
  /** Where a cancelled run stopped. */
  cancelledAt: { phase: Phase; step: number } | null;
  /** True once the engine itself reported the end (finished, failed or cancelled). */
  engineDone: boolean;
  /** Set on a finished run shown again from the saved runs (after a reload or "Reopen"): when it ran. */
  restoredFrom?: Date;
  /** In a sweep: the value this run is of (the sweep's runs share its runId). */
  sweepIndex?: number;
  /** A finished run played back (ui/replay), not trained: what it is of, and how far along (0–1). */
  replay?: { label: string; t: number };
}

/**
 * A finished run as the page keeps it across reloads (history/ saves it in IndexedDB): enough to
 * show it again as a finished run. Plain data, so it survives structured cloning.
 */
export interface KeptRun {
  result: ExperimentResult;
  /** The one-step experiment, when the run measured it. */
  theorem: OneStepResult | null;
  digits: RunState['digits'];
  noise: RunState['noise'];
  /** When the run finished, ms since the epoch. */
  ranAt: number;
  /** Model 0's final teacher and aux-only students, so drawings can be read again; absent in older records. */
  drawWeights?: DrawWeights;
}

/** Draw a digit: which models the worker can read a drawing with, and their latest reading. */
export interface DrawState {
  /** Model 0's models the worker holds weights of (empty before any run sent some). */
  models: DrawModel[];
  /** The run those weights come from. */
  runId: number | null;
  /** Counts weight updates: a drawing is read again whenever it changes. */
  version: number;
  /** The latest answer, to request `requestId`. */
  guesses: { requestId: number; guesses: Guesses } | null;
}

export interface UiState {
  backend: BackendChoice | null;
  data: DataState;
  run: RunState | null;
  /** The GPU device was lost (the run stopped); cleared by a restart. */
  deviceLost: string | null;
  /** Something unexpected inside the worker; dismissable, the page stays usable. */
  workerError: string | null;
  /** Why the engine was started afresh after the last run failed (the next run needs no reload); cleared by a new run. */
  engineRestarted?: string | null;
  draw: DrawState;
  /** Explore's sweeps: each value's run is also `run`, so the story follows it. */
  sweeps: SweepState;
}

export type UiAction =
  | { type: 'message'; message: FromWorker }
  | { type: 'start'; runId: number; config: ExperimentConfig }
  /** A sweep started under `runId`: its first value's run begins. */
  | { type: 'start-sweep'; runId: number; kind: SweepKind; base: ExperimentConfig; plan: SweepPlan; now: number }
  | { type: 'cancel' }
  /** The lecturer holds the run, or lets it go on. */
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'retry-data' }
  /** The worker was replaced by a fresh one: backend and data are unknown again. */
  | { type: 'restart' }
  | { type: 'dismiss-worker-error' }
  /** Shows a saved run again as a finished one (refused while a run is going). */
  | { type: 'restore'; run: KeptRun };

/**
 * Longest curve kept per phase. The config already bounds it (curvePoints ≤ 1000, plus the point at
 * step 0); this is a guard so a chart never holds more than it can draw smoothly.
 */
export const MAX_CURVE_POINTS = 1001;

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

export function isActive(run: RunState | null): boolean {
  return run !== null && (run.status === 'running' || run.status === 'cancelling');
}

function newRun(runId: number, config: ExperimentConfig): RunState {
  return {
    runId,
    config,
    status: 'running',
    phase: 'prepare',
    group: null,
    paused: null,
    phaseMessage: '',
    progress: null,
    curves: { teacher: [], distill: [] },
    digits: null,
    noise: null,
    result: null,
    theorem: null,
    failure: null,
    failedBy: null,
    cancelledAt: null,
    engineDone: false,
  };
}

/**
 * A saved run as a finished RunState. Its runId is 0, a number the page never gives a run, and it
 * counts as ended by the engine, so no message from the worker can change it.
 */
export function restoredRun(kept: KeptRun): RunState {
  const { result } = kept;
  const theorem = result.theorem ?? kept.theorem;
  return {
    ...newRun(0, result.config),
    status: 'finished',
    engineDone: true,
    phase: theorem ? 'theorem' : 'evaluate',
    phaseMessage: '',
    // The engine's whole curves: the config bounds them to the page's limit (curvePoints ≤ 1000).
    curves: result.curves,
    digits: kept.digits,
    noise: kept.noise,
    result,
    theorem,
    restoredFrom: new Date(kept.ranAt),
  };
}

/** A finished run as the page keeps it (to save, or to play back). */
export function keptRun(run: RunState): KeptRun {
  if (!run.result) throw new Error('only a run with a result can be kept');
  return {
    result: run.result,
    theorem: run.result.theorem ?? run.theorem,
    digits: run.digits,
    noise: run.noise,
    ranAt: run.restoredFrom?.getTime() ?? Date.now(),
  };
}

/** Appends a point, halving the density of the older half when the curve is full. */
export function appendBounded(points: CurvePoint[], point: CurvePoint, max = MAX_CURVE_POINTS): CurvePoint[] {
  const next = [...points, point];
  if (next.length <= max) return next;
  return next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
}

/** Where a run stands in the order of its phases (group by group). */
const rank = (phase: Phase, group: ModelGroupAt | null | undefined) =>
  (group?.index ?? 0) * PHASE_ORDER.length + PHASE_ORDER.indexOf(phase);

/** The run at `phase` of `group`, unless it is already further on: the narration never goes back. */
function forward(run: RunState, phase: Phase, group: ModelGroupAt | undefined): RunState {
  if (rank(phase, group) < rank(run.phase, run.group)) return run;
  return { ...run, phase, group: group ?? run.group };
}

/** Ends a run the engine will probably not finish (the data, the device or the worker failed). */
function endRun(run: RunState | null, by: 'data' | 'device' | 'worker', reason: string): RunState | null {
  if (!run || !isActive(run)) return run;
  return { ...run, status: 'failed', failedBy: by, failure: reason };
}

function reduceRunEvent(run: RunState, event: Extract<FromWorker, { type: 'run' }>['event']): RunState {
  // Any sign of life from the engine means the run goes on (it may have been marked failed because
  // the data or the worker looked lost), unless the user asked to cancel it.
  const alive = {
    status: (run.status === 'cancelling' ? 'cancelling' : 'running') as RunStatus,
    failure: null,
    failedBy: null,
  };
  // The page already ended this run and said why (e.g. the GPU device was lost): the engine's own
  // 'failed' or 'cancelled' that follows only confirms it.
  const endedByPage = run.status === 'failed' && run.failedBy !== null;
  switch (event.type) {
    case 'phase':
      return { ...forward(run, event.phase, event.group), ...alive, phaseMessage: event.message };
    case 'progress':
      return {
        ...forward(run, event.phase, event.group),
        ...alive,
        progress: {
          step: event.step,
          totalSteps: event.totalSteps,
          stepsPerSecond: event.stepsPerSecond,
          // Never backwards, whatever the parts report.
          fraction: Math.max(event.fraction, run.progress?.fraction ?? 0),
          secondsLeft: event.secondsLeft,
        },
      };
    case 'paused':
      return { ...run, ...alive, paused: { phase: event.phase, atStage: event.atStage } };
    case 'evaluated':
      // The verdict is known: final from here on, and the chart shows every model's curves.
      return { ...run, ...alive, result: event.result, curves: event.result.curves };
    case 'metrics':
      return {
        ...run,
        ...alive,
        curves: { ...run.curves, [event.phase]: appendBounded(run.curves[event.phase], event.point) },
      };
    case 'digits':
      return { ...run, ...alive, digits: { images: event.images, labels: event.labels } };
    case 'noise':
      return { ...run, ...alive, noise: { images: event.images, auxProbabilities: event.auxProbabilities } };
    case 'theorem':
      return { ...run, ...alive, theorem: event.result };
    case 'weights':
      return run; // the worker keeps them (and says 'models-ready'); never the page's business
    case 'finished':
      return {
        ...run,
        status: 'finished',
        engineDone: true,
        paused: null,
        // The last phase the run went through: the one-step theorem when it was measured.
        phase: event.result.theorem || run.theorem ? 'theorem' : 'evaluate',
        result: event.result,
        // The engine's whole curves, as a reopened run draws them.
        curves: event.result.curves,
        theorem: event.result.theorem ?? run.theorem,
        failure: null,
        failedBy: null,
        progress: run.progress && { ...run.progress, fraction: 1, secondsLeft: 0 },
      };
    case 'failed':
      if (endedByPage) return { ...run, engineDone: true };
      return {
        ...run,
        status: 'failed',
        failedBy: 'engine',
        engineDone: true,
        paused: null,
        phase: event.phase,
        failure: event.reason,
      };
    case 'cancelled':
      if (endedByPage) return { ...run, engineDone: true };
      return {
        ...run,
        status: 'cancelled',
        engineDone: true,
        paused: null,
        phase: event.phase,
        cancelledAt: { phase: event.phase, step: event.step },
      };
  }
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

function reduceMessage(state: UiState, message: FromWorker): UiState {
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
