/**
 * The shapes of what the page knows about the MNIST download and the current run. Types only, so
 * the run's and the sweeps' reducers can both use them without importing each other.
 */
import type { ExperimentConfig } from '../../experiment/config';
import type { CurvePoint, ExperimentResult, TheoremResult, TrainingPhase } from '../../experiment/results';
import type { ModelGroupAt, Phase } from '../../experiment/events';
import type { DrawWeights } from '../../worker/protocol';

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
  theorem: TheoremResult | null;
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
  theorem: TheoremResult | null;
  digits: RunState['digits'];
  noise: RunState['noise'];
  /** When the run finished, ms since the epoch. */
  ranAt: number;
  /** Model 0's final teacher and aux-only students, so drawings can be read again; absent in older records. */
  drawWeights?: DrawWeights;
}
