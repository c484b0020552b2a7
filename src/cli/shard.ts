/**
 * `--shard K/N`: one machine's share of a run or a sweep, and the partial result it writes with
 * --out, which `npm run merge` (merge.ts) joins with the other shards' into the unsharded result.
 */
import type { ExperimentConfig } from '../experiment/config';
import type { ExperimentResult } from '../experiment/results';
import { shardIndices, type Shard } from '../experiment/schedule/shards';
import type { SweepPlan, SweepPoint, SweepResult, SweepSetting } from '../experiment/sweep/sweep';

export type { Shard } from '../experiment/schedule/shards';

/** Shard K (1-based) of N: the most shards one run may be split into. */
export const MAX_SHARDS = 10_000;

/** A shard of a run: its models' result, with what merging needs. */
export interface RunShardFile {
  kind: 'run-shard';
  /** The whole run's config (its `models` is every shard's). */
  config: ExperimentConfig;
  /** Measured with --alignment (the curves carry more, model 0's shard the one-step result). */
  alignment: boolean;
  shard: Shard & { models: number[] };
  /** The result of this shard's models, in the order of `shard.models`. */
  result: ExperimentResult;
}

/** A shard of a sweep: whole runs at some of its values. */
export interface SweepShardFile {
  kind: 'sweep-shard';
  /** The config every value starts from. */
  config: ExperimentConfig;
  alignment: boolean;
  /** The whole sweep: its setting and every value, in order. */
  sweep: { setting: SweepSetting; values: string[] };
  /** `values`: indices into sweep.values of this shard's runs. */
  shard: Shard & { values: number[] };
  /** One point per index of shard.values, in that order. */
  points: SweepPoint[];
  seconds: number;
}

export type ShardFile = RunShardFile | SweepShardFile;

/** "K/N" as a shard, or why not. */
export function parseShard(text: string): { shard?: Shard; error?: string } {
  const match = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match) return { error: `--shard ${text} must read K/N (shard K of N, e.g. 1/4)` };
  if (count < 1 || count > MAX_SHARDS)
    return { error: `--shard ${text}: N is out of range: allowed is a whole number from 1 to ${MAX_SHARDS}` };
  if (index < 1 || index > count)
    return { error: `--shard ${text}: K is out of range: allowed is 1 to ${count} (K of N)` };
  return { shard: { index, count } };
}

/** Why `shard` would be empty: more shards than models (or sweep values), or null. */
export function emptyShardProblem(shard: Shard, config: ExperimentConfig, plan: SweepPlan | null): string | null {
  const total = plan ? plan.values.length : config.models;
  if (shard.index <= total) return null;
  const what = plan ? `sweep values` : `models`;
  return `--shard ${shard.index}/${shard.count} would run nothing: there are only ${total} ${what} (use at most ${total} shards)`;
}

/** "shard 2/4: models 2, 6 of 8" (counted from 1, as tables do), or "…: values m = 2, 5 of 6". */
export function describeShard(shard: Shard, of: number | readonly string[]): string {
  const head = `shard ${shard.index}/${shard.count}`;
  if (typeof of === 'number')
    return `${head}: models ${shardIndices(of, shard)
      .map((i) => i + 1)
      .join(', ')} of ${of}`;
  return `${head}: sweep values ${shardIndices(of.length, shard)
    .map((i) => of[i])
    .join(', ')} of ${of.length}`;
}

/** The sweep of shard `shard`: its values and their configs. */
export function shardPlan(plan: SweepPlan, shard: Shard): SweepPlan {
  const indices = shardIndices(plan.values.length, shard);
  return { ...plan, values: indices.map((i) => plan.values[i]), configs: indices.map((i) => plan.configs[i]) };
}

export function runShardFile(
  config: ExperimentConfig,
  alignment: boolean,
  shard: Shard,
  result: ExperimentResult,
): RunShardFile {
  const models = shardIndices(config.models, shard);
  return { kind: 'run-shard', config, alignment, shard: { ...shard, models }, result };
}

export function sweepShardFile(plan: SweepPlan, alignment: boolean, shard: Shard, result: SweepResult): SweepShardFile {
  return {
    kind: 'sweep-shard',
    config: result.base,
    alignment,
    sweep: { setting: plan.setting, values: plan.values },
    shard: { ...shard, values: shardIndices(plan.values.length, shard) },
    points: result.points,
    seconds: result.seconds,
  };
}
