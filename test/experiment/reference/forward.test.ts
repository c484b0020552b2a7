import { beforeAll, describe, expect, it } from 'vitest';
import { CLASS_COUNT } from '../../../src/experiment/config';
import { guess, logits, softmax } from '../../../src/experiment/reference/forward';
import { forward, initialParameters, layerSizes, Stack, type StackMode } from '../../../src/experiment/model/mlp';
import { Random } from '../../../src/experiment/model/random';
import type { ModelWeights } from '../../../src/experiment/results';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference, useWasm } from '../../support/engine';

beforeAll(useWasm);

/** The paper's MLP, with biases that are not zero so that every term of a layer is exercised. */
function model(index: number, sizes = layerSizes([256, 256], 3)): ModelWeights {
  const { weights, biases } = initialParameters(sizes, 7, index);
  const random = Random.stream(7, 'test-biases', index);
  biases.forEach((b) => random.fillUniform(b, -0.5, 0.5));
  return { sizes, weights, biases };
}

describe('the host forward pass of one model (draw a digit)', () => {
  for (const mode of ['batched', 'per-model'] as StackMode[]) {
    it(`gives tfjs's logits of the same weights to 1e-4 (${mode})`, async () => {
      const before = tf.memory().numTensors;
      const models = [model(0), model(1), model(2)];
      const B = 16;
      const pixels = new Float32Array(B * 784);
      new Random(3).fillUniform(pixels, -1, 1);
      // A few inputs as MNIST gives them: mostly background (-1).
      pixels.fill(-1, 0, 700);
      const stack = Stack.fromHost(models[0].sizes, models, false);
      const x = tf.tensor2d(pixels, [B, 784]);
      const out = forward(stack, x, mode);
      const expected = (await out.data()) as Float32Array;
      tf.dispose([out, x]);
      stack.dispose();
      expect(tf.memory().numTensors).toBe(before);

      const logitCount = models[0].sizes.at(-1)!;
      let worst = 0;
      models.forEach((m, i) => {
        for (let b = 0; b < B; b++) {
          const mine = logits(m, pixels.subarray(b * 784, (b + 1) * 784));
          const theirs = expected.subarray((i * B + b) * logitCount, (i * B + b + 1) * logitCount);
          worst = Math.max(worst, maxAbsDifference(mine, theirs));
          const g = guess(m, pixels.subarray(b * 784, (b + 1) * 784));
          const classes = Array.from(theirs.subarray(0, CLASS_COUNT));
          expect(g.digit).toBe(classes.indexOf(Math.max(...classes)));
          expect(g.probabilities).toHaveLength(CLASS_COUNT);
          expect(g.probabilities.reduce((a, p) => a + p, 0)).toBeCloseTo(1, 10);
          expect(g.probability).toBe(Math.max(...g.probabilities));
        }
      });
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('softmax is stable for large logits and refuses an input of the wrong size', () => {
    expect(softmax([1000, 1000, 0], 2)).toEqual([0.5, 0.5]);
    expect(() => logits(model(0), new Float32Array(10))).toThrow(/784/);
  });
});
