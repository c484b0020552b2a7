/**
 * Messages between the page and the engine's Web Worker. Plain data only: the page never sees a
 * tensor, the worker never sees React.
 */
import type { BackendChoice, BackendName } from '../experiment/device/backend';
import type { ExperimentConfig } from '../experiment/config';
import type { DrawModel, ModelWeights } from '../experiment/results';
import type { RunEvent } from '../experiment/events';
import type { Guess } from '../experiment/reference/forward';
import type { BenchRow } from '../experiment/bench/report';
import type { SweepPlan } from '../experiment/sweep/sweep';
import type { SweepEvent } from '../experiment/sweep/sweepRun';

export type ToWorker =
  /**
   * The page's first message: the backends to try, in order (null: the browser's order), already
   * checked against the known names (from the page's `?backend=`, nothing else from its URL), and,
   * from the browser tests' harness only, hooks that no link can reach.
   */
  | { type: 'configure'; backends: BackendName[] | null; testHooks?: EngineTestHooks }
  /**
   * What the coming run needs (sent whenever the settings change): the worker downloads the MNIST
   * training shards that cover `config.trainImages` before Run.
   */
  | { type: 'prepare'; config: ExperimentConfig }
  /**
   * Start a run (the worker loads MNIST and a backend first if it has not yet); with
   * `stopAtStages`, it pauses after the teacher and after the students until 'resume'.
   */
  | { type: 'start'; runId: number; config: ExperimentConfig; stopAtStages?: boolean }
  /** Hold run `runId` between two steps, or let it go on (also past a stage it stopped at). */
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
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
  /**
   * Read drawings with these weights from now on (a saved run shown again), or with none (a saved
   * run that kept none); answered by 'models-ready' with this runId. Ignored while a run is going.
   */
  | { type: 'draw-weights'; runId: number; weights: DrawWeights | null }
  /** Are you there? (the page's watchdog while a run is active); answered by 'pong' between two steps. */
  | { type: 'ping' };

/** Model 0's models that read a drawing, as plain arrays (what a saved run keeps to answer again). */
export type DrawWeights = Partial<Record<DrawModel, ModelWeights>>;

/** Set only by the browser tests' harness (test/browser/harness.ts), never from a link. */
export interface EngineTestHooks {
  /** Give up a download that sends nothing (or a trickle) for this long instead of 20 s. */
  stallMs?: number;
}

/**
 * Each model's reading of one drawn digit, all ten class probabilities with the top guess (a model
 * the worker holds no weights for is absent).
 */
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
  /**
   * Model 0's final weights of run `runId`, sent once just before its 'finished' (in a sweep, before
   * each value's), so that the page can keep them with the saved run.
   */
  | { type: 'final-weights'; runId: number; weights: DrawWeights }
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
