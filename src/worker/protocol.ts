/**
 * Messages between the page and the engine's Web Worker. Plain data only: the page never sees a
 * tensor, the worker never sees React.
 */
import type { BackendChoice } from '../experiment/backend';
import type { ExperimentConfig } from '../experiment/config';
import type { RunEvent } from '../experiment/results';
import type { BenchRow } from '../bench/report';

export type ToWorker =
  /** Start a run (the worker loads MNIST and a backend first if it has not yet). */
  | { type: 'start'; runId: number; config: ExperimentConfig }
  /** Stop the run with this id after its current step. */
  | { type: 'cancel'; runId: number }
  /** Try the MNIST download again after a failure. */
  | { type: 'retry-data' }
  /** Measure training steps (the page's `?bench` mode) at these stack sizes. */
  | { type: 'bench'; sizes: number[]; steps: number };

export type FromWorker =
  /** The backend the worker runs on, with why each faster one was passed over. */
  | { type: 'backend'; choice: BackendChoice }
  | { type: 'data-progress'; loadedBytes: number; totalBytes: number | null }
  | { type: 'data-ready' }
  | { type: 'data-failed'; reason: string }
  /** An event of run `runId`, straight from the engine. */
  | { type: 'run'; runId: number; event: RunEvent }
  /** The GPU device was lost: the run stopped; a new run starts on a fresh backend. */
  | { type: 'device-lost'; reason: string }
  /** One measured (or skipped) benchmark cell; then 'bench-done' or 'bench-failed'. */
  | { type: 'bench-row'; row: BenchRow }
  | { type: 'bench-done' }
  | { type: 'bench-failed'; reason: string }
  /** Anything unexpected inside the worker; the page stays usable. */
  | { type: 'worker-error'; reason: string };
