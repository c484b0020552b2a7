import { describe, expect, it } from 'vitest';
import { initialParameters, layerSizes } from '../../../src/experiment/model/mlp';
import { crossSources, startingParameters } from '../../../src/experiment/model/conditions';
import { micro, sameBits } from '../../support/engine';
import { preset } from '../../../src/experiment/config';

describe('initialisation (recipe: weights ~ N(0, 1/√fan_in), biases 0)', () => {
  const sizes = layerSizes([256, 256], 3);

  it('draws weights with sd 1/√fan_in and mean 0, and zero biases, in every layer', () => {
    const { weights, biases } = initialParameters(sizes, 7, 0);
    expect(weights.map((w) => w.length)).toEqual([784 * 256, 256 * 256, 256 * 13]);
    weights.forEach((w, layer) => {
      const n = w.length;
      const mean = w.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
      const expected = 1 / Math.sqrt(sizes[layer]);
      // The sd of a sample sd is ≈ sd/√(2n): allow 5 of those (n ≥ 3328 → ≤ 6%).
      expect(Math.abs(sd - expected) / expected).toBeLessThan(5 / Math.sqrt(2 * n));
      expect(Math.abs(mean)).toBeLessThan((5 * expected) / Math.sqrt(n));
    });
    for (const b of biases) expect(b.every((v) => v === 0)).toBe(true);
  });

  it('gives each model its own init, the same for the same seed and index', () => {
    const a = initialParameters(sizes, 7, 0);
    expect(sameBits(a.weights[0], initialParameters(sizes, 7, 0).weights[0])).toBe(true);
    expect(sameBits(a.weights[0], initialParameters(sizes, 7, 1).weights[0])).toBe(false);
    expect(sameBits(a.weights[0], initialParameters(sizes, 8, 0).weights[0])).toBe(false);
  });

  it('pairs every model with another model for the cross students (a derangement)', () => {
    for (const models of [2, 3, 5, 10, 100]) {
      for (const seed of [0, 1, 2]) {
        const cross = crossSources(models, seed);
        expect([...cross].sort((a, b) => a - b)).toEqual(Array.from({ length: models }, (_, i) => i));
        cross.forEach((source, model) => expect(source).not.toBe(model));
      }
    }
    expect(crossSources(1, 0)).toEqual([1]);
  });
});

describe('what the models of a run start from', () => {
  for (const models of [1, 3]) {
    it(`${models} model(s): same-init students are bit-identical to the reference; cross students start from another model's`, () => {
      const config = micro({ models });
      const start = startingParameters(config);
      expect(start.students).toHaveLength(4 * models);
      const sizes = layerSizes(config.hidden, config.auxLogits);
      for (let i = 0; i < models; i++) {
        const own = initialParameters(sizes, config.seed, i);
        const crossInit = initialParameters(sizes, config.seed, start.cross[i]);
        for (let layer = 0; layer < sizes.length - 1; layer++) {
          expect(sameBits(start.reference[i].weights[layer], own.weights[layer])).toBe(true);
          expect(sameBits(start.reference[i].biases[layer], own.biases[layer])).toBe(true);
          expect(sameBits(start.students[i].weights[layer], own.weights[layer])).toBe(true); // student_aux
          expect(sameBits(start.students[models + i].weights[layer], own.weights[layer])).toBe(true); // student_all
          for (const block of [2, 3]) {
            const cross = start.students[block * models + i].weights[layer];
            expect(sameBits(cross, crossInit.weights[layer])).toBe(true);
            expect(sameBits(cross, own.weights[layer])).toBe(false);
          }
        }
      }
    });
  }

  it('a chunk of models starts exactly as those models do in the whole run', () => {
    const config = micro({ models: 4 });
    const whole = startingParameters(config);
    const chunk = startingParameters(config, [1, 3]);
    expect(chunk.cross).toEqual([whole.cross[1], whole.cross[3]]);
    expect(chunk.reference).toEqual([whole.reference[1], whole.reference[3]]);
    // Block b of the chunk holds models 1 and 3 of block b of the whole run.
    for (let block = 0; block < 4; block++) {
      expect(chunk.students.slice(2 * block, 2 * block + 2)).toEqual([
        whole.students[4 * block + 1],
        whole.students[4 * block + 3],
      ]);
    }
  });
});

describe("variations of the same-init students' start", () => {
  const base = { ...preset('tiny'), models: 2, hidden: [16, 12], auxLogits: 3 };

  it('fresh layers come from a stream of their own; the other layers stay the reference, and the cross students are untouched', () => {
    const plain = startingParameters(base);
    const fresh = startingParameters({ ...base, freshLayers: [1, 3] });
    expect(fresh.reference).toEqual(plain.reference);
    expect(fresh.students.slice(4)).toEqual(plain.students.slice(4)); // cross blocks
    for (const block of [0, 1]) {
      const student = fresh.students[block * 2 + 1]; // model 1
      const reference = plain.reference[1];
      expect(student.weights[1]).toEqual(reference.weights[1]); // layer 2 shared
      for (const layer of [0, 2]) {
        expect(student.weights[layer]).not.toEqual(reference.weights[layer]);
        expect(student.weights[layer]).toEqual(
          initialParameters(layerSizes(base.hidden, base.auxLogits), base.seed, 1, 'fresh-init').weights[layer],
        );
      }
    }
  });

  it('σ adds Gaussian noise of that size to every parameter, a different draw per student', () => {
    const sigma = 0.05;
    const plain = startingParameters(base);
    const noisy = startingParameters({ ...base, studentInitNoise: sigma });
    const differences = noisy.students[0].weights[0].map((w, i) => w - plain.reference[0].weights[0][i]);
    const sd = Math.sqrt(differences.reduce((sum, d) => sum + d * d, 0) / differences.length);
    expect(sd).toBeGreaterThan(0.9 * sigma);
    expect(sd).toBeLessThan(1.1 * sigma);
    expect(noisy.students[0].biases[0].some((b) => b !== 0)).toBe(true);
    expect(noisy.students[0].weights[0]).not.toEqual(noisy.students[2].weights[0]); // student_aux vs student_all of model 0
    expect(noisy.students.slice(4)).toEqual(plain.students.slice(4));
    // σ = 0 and no fresh layers: exact copies, as in the recipe.
    expect(plain.students[0]).toBe(plain.reference[0]);
  });
});
