/**
 * What every worker thread of a run is started with. A worker's young generation (V8's nursery
 * for short-lived objects) may grow to 48 MB by default and stay that size; the training loop's
 * garbage is small and short-lived, so 4 MB holds it: 54 MB less peak memory for a 2-thread
 * `quick` run, at no measurable cost in time (docs/performance.md).
 */
import type { ResourceLimits } from 'node:worker_threads';

export const WORKER_RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 4 };
