/**
 * `npm run merge`'s logic without training: shards of a fake run (every number a function of its
 * model's global index) merge into the whole run's result, in any order; parts that are not of
 * one config, or that miss or repeat a model or sweep value, are refused with what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import { CONDITIONS, type CurvePoint, type ExperimentResult } from '../../src/experiment/results';
import { summarize } from '../../src/experiment/stats';
import { shardIndices } from '../../src/experiment/schedule/shards';
import type { SweepPlan, SweepResult } from '../../src/experiment/sweep/sweep';
import { emptyShardProblem, runShardFile, shardPlan, sweepShardFile, type Shard } from '../../src/cli/shard';
import { mergeShards, type NamedPart } from '../../src/cli/shardMerge';

const config: ExperimentConfig = { ...preset('tiny'), models: 4 };

const perModel = (models: readonly number[], offset: number) => models.map((m) => offset + m / 100);

function point(models: readonly number[], step: number, alignment: boolean): CurvePoint {
  const byCondition = (offset: number) => ({
    teacher: perModel(models, offset),
    cross_aux: perModel(models, offset + 1),
  });
  return {
    step,
    epoch: step / 10,
    accuracy: byCondition(step),
    loss: step === 0 ? null : byCondition(step + 5),
    // The part's first model's predictions, as a run reports them.
    predictions: { teacher: [models[0], 7, 7] },
    ...(alignment && {
      alignment: { updateCosine: byCondition(20), distance: byCondition(30), gradientCosine: byCondition(40) },
    }),
  };
}

/** The result a run of `models` (global indices) of `config` would give: each number its model's. */
function resultOf(models: readonly number[], seconds = 1, backend = 'wasm'): ExperimentResult {
  return {
    config,
    backend,
    seconds,
    conditions: Object.fromEntries(
      CONDITIONS.map((name, c) => [name, { accuracies: perModel(models, c), mean: NaN, sd: null, ci95: null }]),
    ) as ExperimentResult['conditions'],
    curves: { teacher: [0, 5].map((s) => point(models, s, false)), distill: [0, 9].map((s) => point(models, s, true)) },
    crossSources: models.map((m) => (m + 1) % config.models),
    ...(models.includes(0) && {
      theorem: { models: 4, studentStep: 0.1, batch: 8, points: [] },
    }),
    chain: [1, 2].map((generation) => ({ generation, accuracy: { teacher: perModel(models, 10 * generation) } })),
  };
}

/** The whole run's result, its summaries as a run computes them. */
function whole(): ExperimentResult {
  const result = resultOf([0, 1, 2, 3]);
  for (const name of CONDITIONS) {
    const { accuracies } = result.conditions[name];
    result.conditions[name] = { accuracies, ...summarize(accuracies) };
  }
  return result;
}

function runPart(shard: Shard, seconds = 1, backend = 'wasm', name = `part-${shard.index}.json`): NamedPart {
  const models = shardIndices(config.models, shard);
  return { name, data: runShardFile(config, false, shard, resultOf(models, seconds, backend)) };
}

const quarters = [1, 2, 3, 4].map((index) => runPart({ index, count: 4 }));

describe('shards', () => {
  it('are strided: shard K of N holds K−1, K−1+N, …; together every index once', () => {
    expect(shardIndices(10, { index: 1, count: 4 })).toEqual([0, 4, 8]);
    expect(shardIndices(10, { index: 4, count: 4 })).toEqual([3, 7]);
    const all = [1, 2, 3].flatMap((index) => shardIndices(7, { index, count: 3 }));
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('an empty shard is refused, for models and for sweep values', () => {
    expect(emptyShardProblem({ index: 4, count: 4 }, config, null)).toBeNull();
    expect(emptyShardProblem({ index: 5, count: 6 }, config, null)).toBe(
      '--shard 5/6 would run nothing: there are only 4 models (use at most 4 shards)',
    );
    const plan: SweepPlan = { setting: 'auxLogits', values: ['1', '2'], configs: [config, config] };
    expect(emptyShardProblem({ index: 3, count: 3 }, config, plan)).toMatch(/only 2 sweep values/);
    expect(shardPlan(plan, { index: 2, count: 2 }).values).toEqual(['2']);
  });
});

describe('mergeShards of a run', () => {
  it("gives the whole run's result, byte for byte, from shards in any order", () => {
    for (const order of [quarters, [...quarters].reverse(), [quarters[2], quarters[0], quarters[3], quarters[1]]]) {
      const { output, errors } = mergeShards(order);
      expect(errors).toEqual([]);
      expect(JSON.stringify({ ...output, seconds: 1, backend: 'wasm' })).toBe(JSON.stringify(whole()));
    }
  });

  it("keeps model 0's predictions and one-step result, from the shard that holds model 0", () => {
    const output = mergeShards([quarters[3], quarters[1], quarters[0], quarters[2]]).output as ExperimentResult;
    expect(output.curves.distill[1].predictions.teacher![0]).toBe(0);
    expect(output.theorem?.models).toBe(4);
  });

  it('sums the seconds and names each backend once', () => {
    const parts = [runPart({ index: 1, count: 2 }, 3, 'wasm'), runPart({ index: 2, count: 2 }, 4.5, 'webgpu · H200')];
    const output = mergeShards(parts).output as ExperimentResult;
    expect(output.seconds).toBe(7.5);
    expect(output.backend).toBe('wasm + webgpu · H200');
    const same = mergeShards([runPart({ index: 1, count: 2 }), runPart({ index: 2, count: 2 })]).output;
    expect((same as ExperimentResult).backend).toBe('wasm');
  });

  it('names the missing models and the shards that hold them', () => {
    expect(mergeShards([quarters[0], quarters[2]]).errors).toEqual([
      'missing model 1, 3 of 0…3 (held by --shard 2/4, --shard 4/4)',
    ]);
  });

  it('names a model held twice, and by which files', () => {
    const again = { ...quarters[1], name: 'copy.json' };
    expect(mergeShards([...quarters, again]).errors).toEqual([
      'model 1 is in more than one part: part-2.json, copy.json',
    ]);
    // Shards of different N may still cover the run; overlapping ones are refused.
    const halves = [runPart({ index: 1, count: 2 }, 1, 'wasm', 'h1.json'), quarters[1], quarters[3]];
    expect(mergeShards(halves).errors).toEqual([]);
    expect(mergeShards([...halves, quarters[0]]).errors).toEqual([
      'model 0 is in more than one part: h1.json, part-1.json',
    ]);
  });

  it('refuses parts of different configs, naming the settings that differ', () => {
    const other = { ...config, seed: 7 };
    const odd = { name: 'odd.json', data: { ...(quarters[1].data as object), config: other } };
    expect(mergeShards([quarters[0], odd, quarters[2], quarters[3]]).errors).toEqual([
      'odd.json and part-1.json are shards of different configs (seed 7 vs 42)'.replace('42', String(config.seed)),
    ]);
    const aligned = { name: 'a.json', data: { ...(quarters[1].data as object), alignment: true } };
    expect(mergeShards([quarters[0], aligned]).errors).toEqual(['a.json and part-1.json differ in --alignment']);
  });

  it('refuses what is not a shard file, or holds the wrong number of results', () => {
    expect(mergeShards([{ name: 'u.json', data: whole() }]).errors).toEqual([
      'u.json is not a shard file (write one with --shard K/N --out FILE)',
    ]);
    expect(mergeShards([{ name: 'n.json', data: null }]).errors[0]).toMatch(/^n\.json is not a shard file/);
    const short = runShardFile(config, false, { index: 1, count: 2 }, resultOf([0]));
    expect(mergeShards([{ name: 's.json', data: short }]).errors).toEqual([
      "s.json holds 1 models' results for 2 models",
    ]);
    expect(mergeShards([]).errors).toEqual(['no shard files given']);
  });
});

describe('mergeShards of a sweep', () => {
  const values = ['1', '2', '3'];
  const plan: SweepPlan = { setting: 'auxLogits', values, configs: values.map(() => config) };
  const points = values.map((value, i) => ({ value, result: resultOf([i]) }));

  function sweepPart(shard: Shard, seconds: number): NamedPart {
    const own = shardPlan(plan, shard);
    const result: SweepResult = {
      kind: 'sweep',
      setting: own.setting,
      values: own.values,
      base: config,
      points: points.filter((p) => own.values.includes(p.value)),
      seconds,
    };
    return { name: `sweep-${shard.index}.json`, data: sweepShardFile(plan, false, shard, result) };
  }

  it('gives the unsharded sweep file: every point in value order, complete, seconds summed', () => {
    const output = mergeShards([sweepPart({ index: 2, count: 2 }, 2), sweepPart({ index: 1, count: 2 }, 3)]).output;
    const expected = { kind: 'sweep', setting: 'auxLogits', values, base: config, points, seconds: 5, complete: true };
    expect(JSON.stringify(output)).toBe(JSON.stringify(expected));
  });

  it('names a missing value, and refuses a sweep shard with a run shard', () => {
    expect(mergeShards([sweepPart({ index: 1, count: 2 }, 1)]).errors).toEqual([
      'missing sweep value 1 of 0…2 (held by --shard 2/2)',
    ]);
    expect(mergeShards([sweepPart({ index: 1, count: 2 }, 1), quarters[1]]).errors).toEqual([
      'part-2.json and sweep-1.json are not both shards of a run, or both of a sweep',
    ]);
  });
});
