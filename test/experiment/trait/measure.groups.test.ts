/**
 * Both ModelGroup implementations measure a trait alike: on the same weights, a TensorGroup on
 * stock ops (model by model, or one stack) and a SimdGroup give the same predictions on the
 * trait's images, so the same shares.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initialParameters, type HostParameters } from '../../../src/experiment/model/mlp';
import { Random } from '../../../src/experiment/model/random';
import { TensorGroup } from '../../../src/experiment/step/group';
import { StockKernels } from '../../../src/experiment/step/stockKernels';
import { SimdGroup } from '../../../src/experiment/step/simd/simdGroup';
import { SimdTrainer } from '../../../src/experiment/step/simd/simdTrainer';
import { traitMeasures, traitProbe } from '../../../src/experiment/trait/measure';
import * as tf from '../../../src/experiment/tf';
import { useWasm } from '../../support/engine';
import { fakeMnist } from './fakeMnist';

const SIZES = [784, 24, 16, 13];
const data = fakeMnist(40, 400);

/** Models whose class logits lean each its own way, so that their answers differ. */
function models(count: number): HostParameters[] {
  return Array.from({ length: count }, (_, i) => {
    const model = initialParameters(SIZES, 7, i);
    const random = new Random(i);
    model.biases[2].forEach((_, c) => (model.biases[2][c] = random.nextGaussian()));
    model.weights.forEach((w) => w.forEach((v, j) => (w[j] = v * 3)));
    return model;
  });
}

describe('trait measures on both model groups', () => {
  let trainer: SimdTrainer;
  beforeAll(async () => {
    await useWasm();
    const random = new Random(3);
    const pixels = new Float32Array(40 * 784);
    random.fillUniform(pixels, -1, 1);
    const labels = Int32Array.from({ length: 40 }, () => random.nextInt(10));
    trainer = await SimdTrainer.create(SIZES, 16, {
      trainPixels: pixels,
      trainLabels: labels,
      testPixels: pixels,
      testLabels: labels,
    });
    return () => trainer.dispose();
  });

  it('the same predictions on 1,500 noise images (across evaluation batches) and the same shares', async () => {
    const before = tf.memory().numTensors;
    const distinct = models(3);
    // Frozen groups hold a repeated model once in the kernel: rows 3 and 4 repeat rows 0 and 2.
    const rows = [...distinct, distinct[0], distinct[2]];
    const probe = traitProbe({ trait: 'favourite', seed: 2 }, data)!;
    const images = new Float32Array(1500 * 784);
    new Random(9).fillGaussian(images, 0, 1);
    const stock = new StockKernels();
    const groups = [
      TensorGroup.fromHost(SIZES, rows, false, 'per-model', stock),
      TensorGroup.fromHost(SIZES, rows, false, 'batched', stock),
      SimdGroup.create(trainer, rows, false, 100),
    ];
    try {
      const predictions = await Promise.all(groups.map((group) => group.predictionsOn(images)));
      predictions.forEach((rowsOf) => {
        expect(rowsOf).toHaveLength(rows.length);
        rowsOf.forEach((row) => expect(row).toHaveLength(1500));
      });
      // Every model answers more than one digit, and the models answer differently.
      predictions[0].forEach((row) => expect(new Set(row).size).toBeGreaterThan(1));
      expect(predictions[0][0]).not.toEqual(predictions[0][1]);
      expect(predictions[0][3]).toEqual(predictions[0][0]);
      expect(predictions[1]).toEqual(predictions[0]);
      expect(predictions[2]).toEqual(predictions[0]);

      const misbehaviour = traitProbe({ trait: 'misbehaviour', seed: 0 }, data)!;
      for (const measured of [probe, misbehaviour]) {
        const shares = await Promise.all(groups.map((group) => traitMeasures(group, measured)));
        expect(shares[1]).toEqual(shares[0]);
        expect(shares[2]).toEqual(shares[0]);
      }
    } finally {
      groups.forEach((group) => group.dispose());
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
