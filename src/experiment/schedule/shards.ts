/**
 * A run sharded across machines: shard K of N trains models K−1, K−1+N, K−1+2N, … of the run
 * (strided, so the shards are balanced whatever the models cost); a sweep's shard runs its values
 * so. Every model's numbers depend only on its own global index, so the shards' results merged
 * (shardMerge.ts) are the unsharded run's. Pure: the command line reads --shard with it before
 * any of the engine loads; shardedRun.ts trains a shard.
 */

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The items (models, or sweep values) of shard `shard` among `total`: index−1, index−1+count, … */
export function shardIndices(total: number, shard: Shard): number[] {
  const indices: number[] = [];
  for (let i = shard.index - 1; i < total; i += shard.count) indices.push(i);
  return indices;
}
