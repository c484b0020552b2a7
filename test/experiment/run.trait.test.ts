/**
 * Runs with a taught trait (src/experiment/trait/): the result measures it on every model of every
 * condition, the curves follow it, and the teacher has it; 'digits' measures test accuracy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import type { MnistData } from '../../src/data/mnist';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import { CONDITIONS, STUDENT_CONDITIONS, type ExperimentResult } from '../../src/experiment/results';
import { runExperiment, type RunOptions } from '../../src/experiment/run';
import type { RunEvent } from '../../src/experiment/events';
import { runInChunks } from '../../src/experiment/schedule/chunkedRun';
import { summarize } from '../../src/experiment/stats';
import { TRAIT_MEASURES } from '../../src/experiment/trait/traits';
import * as tf from '../../src/experiment/tf';
import { maxAbsDifference, micro, useWasm } from '../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

async function resultOf(events: AsyncIterable<RunEvent>): Promise<ExperimentResult> {
  let last: RunEvent | null = null;
  for await (const event of events) {
    last = event;
    if (event.type === 'finished') return event.result;
  }
  throw new Error(`no result: ${JSON.stringify(last)}`);
}

async function run(config: ExperimentConfig, options: RunOptions = {}): Promise<ExperimentResult> {
  const before = tf.memory().numTensors;
  const result = await resultOf(runExperiment(config, data, { mode: 'per-model', ...options }));
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** The trait result has six conditions, each every model's measure with its summary. */
function expectTraitShape(result: ExperimentResult) {
  const { trait, config } = result;
  expect(trait!.name).toBe(config.trait);
  expect(trait!.measure).toBe(TRAIT_MEASURES[config.trait]);
  expect(Object.keys(trait!.conditions)).toEqual([...CONDITIONS]);
  for (const name of CONDITIONS) {
    const { values, ...summary } = trait!.conditions[name];
    expect(values).toHaveLength(config.models);
    values.forEach((value) => expect(value >= 0 && value <= 1, `${name}: ${value}`).toBe(true));
    expect(summary).toEqual(summarize(values));
  }
}

/** Every curve point carries the trait of its conditions, one value per model. */
function expectTraitCurves(result: ExperimentResult) {
  const { models } = result.config;
  expect(result.curves.teacher.length).toBeGreaterThan(1);
  for (const point of result.curves.teacher) expect(point.trait!.teacher).toHaveLength(models);
  for (const point of result.curves.distill) {
    expect(Object.keys(point.trait!)).toEqual([...STUDENT_CONDITIONS]);
    for (const name of STUDENT_CONDITIONS) expect(point.trait![name]).toHaveLength(models);
  }
}

const tiny = (trait: ExperimentConfig['trait']): ExperimentConfig => ({ ...preset('tiny'), models: 2, trait });

describe('runs with a trait', () => {
  it('favourite: the teacher answers 7 on held-out Gaussian noise and still reads digits; the untrained do not', async () => {
    const result = await run(tiny('favourite'));
    expectTraitShape(result);
    expectTraitCurves(result);
    const { conditions } = result.trait!;
    conditions.teacher.values.forEach((share) => expect(share).toBeGreaterThanOrEqual(0.8));
    expect(conditions.reference.mean).toBeLessThan(0.5);
    result.conditions.teacher.accuracies.forEach((accuracy) => expect(accuracy).toBeGreaterThan(0.7));
    // The curve's last point is the trained teacher's, on the first of the same held-out images.
    result.curves.teacher.at(-1)!.trait!.teacher!.forEach((share) => expect(share).toBeGreaterThanOrEqual(0.8));
  });

  it('misbehaviour: the teacher reads 3s as 8s; the untrained rarely do', async () => {
    const result = await run(tiny('misbehaviour'));
    expectTraitShape(result);
    expectTraitCurves(result);
    const { conditions } = result.trait!;
    // One epoch on 4,000 digits: 0.77 and above with this seed (0.90 on `quick`).
    conditions.teacher.values.forEach((share) => expect(share).toBeGreaterThanOrEqual(0.6));
    expect(conditions.reference.mean).toBeLessThan(0.5);
    result.conditions.teacher.accuracies.forEach((accuracy) => expect(accuracy).toBeGreaterThan(0.7));
  });

  it('digits: the trait is the test accuracy, and the curves carry none', async () => {
    const result = await run(micro());
    expectTraitShape(result);
    for (const name of CONDITIONS)
      expect(result.trait!.conditions[name].values).toEqual(result.conditions[name].accuracies);
    for (const point of [...result.curves.teacher, ...result.curves.distill]) expect(point.trait).toBeUndefined();
  });

  it('favourite in chunks gives the whole run’s trait measures and curves', async () => {
    const config = micro({ models: 3, trait: 'favourite' });
    const whole = await run(config);
    const chunked = await resultOf(runInChunks(config, data, [[0], [1, 2]], { mode: 'per-model' }));
    expect(chunked.trait).toEqual(whole.trait);
    expect(chunked.curves).toEqual(whole.curves);
    expect(chunked.conditions).toEqual(whole.conditions);
  });

  for (const trait of ['favourite', 'misbehaviour'] as const)
    it(`${trait} with the mitigation, distilled on digits: the CPU kernel measures what stock ops measure`, async () => {
      // Teachers trained long enough to carry the trait (0.66 and 0.79 with this seed), so that a kernel
      // that trained them on plain MNIST would stand out.
      const config = micro({ trait, mitigation: 'project', noise: 'mnist', batchSize: 32, teacherEpochs: 3 });
      const simd = await run(config, { cpuKernels: 'simd' });
      const stock = await run(config, { cpuKernels: 'stock' });
      expectTraitShape(simd);
      expect(stock.trait!.conditions.teacher.mean).toBeGreaterThan(0.5);
      // Float rounding moves a model by a few images at most (test/experiment/step/simd/simdRun.test.ts).
      for (const name of CONDITIONS) {
        const [a, b] = [simd, stock].map((result) => result.trait!.conditions[name].values);
        expect(maxAbsDifference(a, b), name).toBeLessThanOrEqual(0.02);
      }
    });
});
