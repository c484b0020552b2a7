/**
 * Training one shard (shards.ts) of a run: placed as any run is (chunks here, or parallel parts in
 * the host's workers), but on the shard's models, as those global indices of the whole run.
 */
import type { ExperimentConfig } from '../config';
import type { Job, JobHost } from './job';
import type { Placement } from './placement';
import { runPlaced } from './runPlaced';

/** A placement over 0…models.length−1 read as the global indices `models`. */
function globalPlacement(placement: Placement, models: readonly number[]): Placement {
  return { ...placement, parts: placement.parts.map((chunks) => chunks.map((chunk) => chunk.map((i) => models[i]))) };
}

/**
 * The job and host that train only `models` (global indices) of a run of `config`. The job is a
 * run of that many models, so the fit, the placement and what the host is told of it count the
 * shard's models; each placed chunk is then mapped to the global indices and trained, in the
 * host's workers too, as those models of the whole run.
 */
export function shardedRun(
  config: ExperimentConfig,
  models: readonly number[],
  host: JobHost,
): { job: Job; host: JobHost } {
  if (models.length === 0) throw new Error('a shard needs at least one model');
  const runner = host.runPlaced ?? runPlaced;
  return {
    job: { kind: 'run', config: { ...config, models: models.length } },
    host: {
      ...host,
      startPart: (_shard, data, backend) => host.startPart(config, data, backend),
      runPlaced: (_shard, data, placement, options) =>
        runner(config, data, globalPlacement(placement, models), options),
    },
  };
}
