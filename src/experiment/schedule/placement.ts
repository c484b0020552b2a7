/**
 * Where a run's models go: the one place that decides it, for the page's engine worker and the
 * command line alike. A device that cannot hold every model trains them in chunks, one after
 * another; a CPU with several cores trains parts of the models side by side, one worker per core,
 * each on its own single-threaded backend. Models are independent (every model's numbers depend
 * only on its own index), so any placement gives the numbers of the whole run.
 */
import type { ExperimentConfig } from '../config';
import { isCpuBackend } from '../step/trainingPath';
import { modelsPerChunk, planChunks, splitEvenly, type DeviceLimits, type MeasureOptions } from './chunks';

/** A run laid out: `parts` run side by side, each a list of chunks run one after another. */
export interface Placement {
  /** The most models trained at once in one stack. */
  perChunk: number;
  /** Part i holds chunks of global model indices; one part = everything on this thread. */
  parts: number[][][];
}

export interface PlacementRequest extends MeasureOptions {
  config: ExperimentConfig;
  /** The engine's backend ('webgpu', 'wasm', …) and its limits. */
  backend: string;
  limits: DeviceLimits;
  /** Cores this host may use for parallel parts (1 = none). */
  cores: number;
  /** Forced worker count (the command line's --workers); default: one per core on CPU backends. */
  workers?: number;
  /** Forced models per chunk (the command line's --chunk); default: as many as the device holds. */
  perChunk?: number;
}

/** Parallel parts worth running: one per core on a CPU backend, never more than models; one GPU runs one. */
export function workerCount(backend: string, models: number, cores: number): number {
  return isCpuBackend(backend) ? Math.max(1, Math.min(cores, models)) : 1;
}

export function placeRun(request: PlacementRequest): Placement {
  const { config } = request;
  const perChunk = request.perChunk ?? modelsPerChunk(config, request.limits, request);
  const workers = Math.min(
    request.workers ?? workerCount(request.backend, config.models, request.cores),
    config.models,
  );
  return { perChunk, parts: splitEvenly(config.models, workers).map((part) => planChunks(part, perChunk)) };
}

/** "4 models in 2 parallel parts (worker threads), at most 4 models per chunk". */
export function describePlacement(config: ExperimentConfig, placement: Placement, workerWord: string): string {
  const workers = placement.parts.length;
  const where = workers > 1 ? `${workers} ${workerWord}s` : `1 ${workerWord}`;
  return `${config.models} models in ${where}, at most ${placement.perChunk} models per chunk`;
}
