/**
 * Whole runs on the CPU kernel (the default on wasm) against the same runs on stock tfjs ops
 * (`cpuKernels: 'stock'`, the reference): the same numbers up to float rounding, for the recipe,
 * mse with the mitigation, a chain, re-initialised layers and the alignment series; no tensor left
 * behind, finished or cancelled; liminal training too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../../../src/data/loadNode';
import type { MnistData } from '../../../../src/data/mnist';
import type { ExperimentConfig } from '../../../../src/experiment/config';
import { CONDITIONS, type ExperimentResult } from '../../../../src/experiment/results';
import { type RunEvent } from '../../../../src/experiment/events';
import { runExperiment, type RunOptions } from '../../../../src/experiment/run';
import * as tf from '../../../../src/experiment/tf';
import { maxAbsDifference, micro, useWasm } from '../../../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

async function run(config: ExperimentConfig, options: RunOptions = {}) {
  const before = tf.memory().numTensors;
  const events: RunEvent[] = [];
  for await (const event of runExperiment(config, data, { progressIntervalMs: 1e9, ...options })) events.push(event);
  expect(tf.memory().numTensors).toBe(before);
  const finished = events.find((event) => event.type === 'finished');
  if (!finished || finished.type !== 'finished') throw new Error(`no result: ${JSON.stringify(events.at(-1))}`);
  return { result: finished.result, events };
}

/**
 * Each model's accuracies on both paths. Training amplifies float rounding a little (Adam moves
 * near-zero gradients by ±lr whichever sign rounding gives them), so a model's accuracy may move
 * by a few test images; far below the spread between models.
 */
function expectSameNumbers(simd: ExperimentResult, stock: ExperimentResult, tolerance = 0.01) {
  for (const name of CONDITIONS) {
    expect(
      maxAbsDifference(simd.conditions[name].accuracies, stock.conditions[name].accuracies),
      name,
    ).toBeLessThanOrEqual(tolerance);
  }
}

describe('runs on the CPU kernel', () => {
  const cases: Array<[string, Partial<ExperimentConfig>]> = [
    ['the recipe', {}],
    [
      'mse, the mitigation, re-initialised first layer, Gaussian noise',
      { distillLoss: 'mse', mitigation: 'project', freshLayers: [1], noise: 'gaussian' },
    ],
    ['a chain of 2 generations on shuffled digits', { generations: 2, noise: 'shuffled' }],
    [
      'liminal training for half an epoch of two, a chain of 2',
      { mitigation: 'liminal', liminalWeight: 3, liminalWindow: 0.5, studentEpochs: 2, generations: 2 },
    ],
  ];
  for (const [name, overrides] of cases) {
    it(`${name}: the same numbers as stock ops`, async () => {
      const config = micro({ models: 2, ...overrides });
      const simd = await run(config);
      const stock = await run(config, { cpuKernels: 'stock' });
      expectSameNumbers(simd.result, stock.result);
      if (config.generations > 1) {
        expect(simd.result.chain).toHaveLength(2);
        simd.result.chain!.forEach((g, i) =>
          expect(
            maxAbsDifference(g.accuracy.student_aux!, stock.result.chain![i].accuracy.student_aux!),
          ).toBeLessThanOrEqual(0.01),
        );
      }
      // The live curves too (a curve point evaluates in the kernel).
      const curve = (r: ExperimentResult) => r.curves.distill.flatMap((p) => p.accuracy.student_aux ?? []);
      expect(maxAbsDifference(curve(simd.result), curve(stock.result))).toBeLessThanOrEqual(0.02);
    });
  }

  it('odd shapes (a 1-unit layer and batch 1; six odd widths; 1,000 auxiliary logits; real digits with a chain): the same numbers as stock ops', async () => {
    const base = { models: 2, trainImages: 300, noiseImages: 200, curvePoints: 1, curveTestImages: 37 };
    const shapes: Partial<ExperimentConfig>[] = [
      { hidden: [1], batchSize: 1, trainImages: 40, noiseImages: 30 },
      { hidden: [5, 7, 9, 11, 13, 3], auxLogits: 1 },
      { hidden: [20], auxLogits: 1000, batchSize: 33 },
      { noise: 'mnist', batchSize: 7, mitigation: 'project', distillLoss: 'mse', generations: 3 },
    ];
    for (const shape of shapes) {
      const config = micro({ ...base, ...shape });
      expectSameNumbers((await run(config)).result, (await run(config, { cpuKernels: 'stock' })).result);
    }
  });

  it('the alignment series and the one-step experiment, as the page asks for them', async () => {
    const config = micro({ models: 2 });
    const simd = await run(config, { alignment: true });
    const stock = await run(config, { alignment: true, cpuKernels: 'stock' });
    expectSameNumbers(simd.result, stock.result);
    const series = (r: ExperimentResult) =>
      r.curves.distill.flatMap((p) =>
        p.alignment ? [...p.alignment.distance.student_aux!, ...p.alignment.gradientCosine.student_aux!] : [],
      );
    expect(series(simd.result).length).toBeGreaterThan(0);
    expect(maxAbsDifference(series(simd.result), series(stock.result))).toBeLessThanOrEqual(0.02);
    expect(simd.result.theorem).toBeDefined();
    // The drawing pad's weights come from the kernel too.
    expect(simd.events.some((e) => e.type === 'weights' && e.weights.student_aux !== undefined)).toBe(true);
  });

  it('a cancelled run leaves nothing behind', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const events: RunEvent[] = [];
    for await (const event of runExperiment(micro(), data, { signal: controller.signal, progressIntervalMs: 0 })) {
      events.push(event);
      if (event.type === 'progress' && event.phase === 'distill') controller.abort();
    }
    expect(events.at(-1)?.type).toBe('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });
});
