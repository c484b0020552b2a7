/** The shapes of the page's whole state and of what changes it (worker messages, user actions). */
import type { BackendChoice } from '../../experiment/device/backend';
import type { ExperimentConfig } from '../../experiment/config';
import type { DrawModel } from '../../experiment/results';
import type { SweepPlan } from '../../experiment/sweep/sweep';
import type { FromWorker, Guesses } from '../../worker/protocol';
import type { DataState, KeptRun, RunState } from './runTypes';
import type { SweepKind, SweepState } from './sweepState';

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
