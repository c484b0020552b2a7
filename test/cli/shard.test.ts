/**
 * --shard K/N and `npm run merge` give the unsharded run: four shards of a four-model run, each
 * run in-process as the command line runs it (runExperiment, --out), merged, equal the run done
 * once, curves included; likewise a sweep in two shards. Micro configs on one thread.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCli } from '../../src/cli/args';
import { runExperiment } from '../../src/cli/runExperiment';
import { mergeShards } from '../../src/cli/shardMerge';
import type { ExperimentConfig } from '../../src/experiment/config';
import type { ExperimentResult } from '../../src/experiment/results';
import { planSweep } from '../../src/experiment/sweep/sweep';
import * as tf from '../../src/experiment/tf';
import { micro, useWasm } from '../support/engine';

const work = mkdtempSync(join(tmpdir(), 'shard-test-'));
beforeAll(async () => {
  await useWasm();
  // The tables and progress lines of every run: not this test's output.
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(work, { recursive: true, force: true });
});

/** What the command line writes at --out for `flags` on `config` (a sweep with --sweep), read back. */
async function cli(config: ExperimentConfig, out: string, flags: string[] = []): Promise<unknown> {
  // One thread and a fixed mode: the numbers must not depend on how the run was placed or timed.
  const parsed = parseCli(['--workers', '1', '--mode', 'per-model', '--quiet', '--out', out, ...flags]);
  expect(parsed.errors).toEqual([]);
  const options = { ...parsed.options, config };
  const plan = options.sweep === null ? null : planSweep(config, options.sweep).plan;
  expect(await runExperiment(options, plan)).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as unknown;
}

/** The JSON without what differs between any two runs: their seconds and backend labels. */
const numbers = (value: unknown): string =>
  JSON.stringify(value, (key, v: unknown) => (key === 'seconds' || key === 'backend' ? undefined : v));

describe('--shard K/N merged', () => {
  it('four shards of a four-model run equal the run done once, curves included', async () => {
    const config = micro({ models: 4, curvePoints: 2 });
    const before = tf.memory().numTensors;
    const parts = [];
    for (const index of [1, 2, 3, 4]) {
      const out = join(work, `part-${index}.json`);
      parts.push({ name: out, data: await cli(config, out, ['--shard', `${index}/4`]) });
    }
    const once = (await cli(config, join(work, 'once.json'))) as ExperimentResult;
    expect(tf.memory().numTensors).toBe(before);

    const merged = mergeShards(parts);
    expect(merged.errors).toEqual([]);
    expect(numbers(merged.output)).toBe(numbers(once));
    const curve = once.curves.distill.at(-1)!;
    expect(curve.accuracy.student_aux).toHaveLength(4);
    expect(curve.loss?.student_aux).toHaveLength(4);
    expect(once.conditions.teacher.accuracies).toHaveLength(4);
  });

  it('two shards of a sweep equal the sweep done once', async () => {
    const config = micro({ models: 1, curvePoints: 1 });
    const sweep = ['--sweep', 'm=2,3'];
    const parts = [];
    for (const index of [1, 2]) {
      const out = join(work, `sweep-${index}.json`);
      parts.push({ name: out, data: await cli(config, out, [...sweep, '--shard', `${index}/2`]) });
    }
    const once = await cli(config, join(work, 'sweep.json'), sweep);
    const merged = mergeShards(parts);
    expect(merged.errors).toEqual([]);
    expect(numbers(merged.output)).toBe(numbers(once));
  });
});
