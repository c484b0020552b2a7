/**
 * Messages between the page and the engine's Web Worker. Plain data only: the page never sees a
 * tensor, the worker never sees React.
 */
import type { BackendChoice } from '../experiment/backend';
import type { ExperimentConfig } from '../experiment/config';
import type { DrawModel, RunEvent } from '../experiment/results';
import type { Guess } from '../experiment/forward';
import type { BenchRow } from '../bench/report';
import type { SweepPlan } from '../experiment/sweep';
import type { SweepEvent } from '../experiment/sweepRun';

export type ToWorker =
  /** Start a run (the worker loads MNIST and a backend first if it has not yet). */
  | { type: 'start'; runId: number; config: ExperimentConfig }
  /**
   * Run a sweep: the experiment at each of the plan's configs, one after another, as one job with
   * this run id (events come as 'sweep'; 'cancel' with the id stops it).
   */
  | { type: 'sweep'; runId: number; base: ExperimentConfig; plan: SweepPlan }
  /** Stop the run (or sweep) with this id after its current step. */
  | { type: 'cancel'; runId: number }
  /** Try the MNIST download again after a failure. */
  | { type: 'retry-data' }
  /** Measure training steps (the page's `?bench` mode) at these stack sizes. */
  | { type: 'bench'; sizes: number[]; steps: number }
  /**
   * Read a drawn digit: 784 pixels in [-1, 1] (ink high, as MNIST scaled by the engine), answered
   * by 'guesses' with the same requestId from whatever models the worker holds.
   */
  | { type: 'classify'; requestId: number; pixels: number[] }
  /** Are you there? (the page's watchdog while a run is active); answered by 'pong' between two steps. */
  | { type: 'ping' };

/** Each model's reading of one drawn digit (a model the worker holds no weights for is absent). */
export type Guesses = Partial<Record<DrawModel, Guess>>;

export type FromWorker =
  /** The backend the worker runs on, with why each faster one was passed over. */
  | { type: 'backend'; choice: BackendChoice }
  | { type: 'data-progress'; loadedBytes: number; totalBytes: number | null }
  | { type: 'data-ready' }
  | { type: 'data-failed'; reason: string }
  /**
   * An event of run `runId`, straight from the engine; except 'weights', which the worker keeps
   * for reading drawn digits and announces with 'models-ready' instead.
   */
  | { type: 'run'; runId: number; event: RunEvent }
  /**
   * An event of sweep `runId` (sweepRun.ts): each value's run events, labelled with the value, its
   * point when it finishes, and one 'sweep-finished' or 'sweep-stopped' at the end. Run events
   * 'weights' are kept by the worker, as for runs.
   */
  | { type: 'sweep'; runId: number; event: SweepEvent }
  /**
   * The worker now holds new weights of model 0 of run `runId`: these models can read a drawing
   * (weights of an earlier run were dropped when this run sent its first).
   */
  | { type: 'models-ready'; runId: number; models: DrawModel[] }
  /** The answer to 'ping'. */
  | { type: 'pong' }
  /** The answer to 'classify' request `requestId`. */
  | { type: 'guesses'; requestId: number; guesses: Guesses }
  /** The GPU device was lost: the run stopped; a new run starts on a fresh backend. */
  | { type: 'device-lost'; reason: string }
  /**
   * A run failed and left the engine unfit for the next (`reason`: tensors left behind, or a tiny
   * op failing): TensorFlow.js was started afresh, so the next run works without a reload.
   */
  | { type: 'engine-restarted'; reason: string }
  /** One measured (or skipped) benchmark cell; then 'bench-done' or 'bench-failed'. */
  | { type: 'bench-row'; row: BenchRow }
  | { type: 'bench-done' }
  | { type: 'bench-failed'; reason: string }
  /** Anything unexpected inside the worker; the page stays usable. */
  | { type: 'worker-error'; reason: string };
