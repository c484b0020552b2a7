/**
 * Liminal training on the CPU SIMD kernel (SimdTrainer on step.wasm) against the autodiff
 * reference (reference/train.ts): the gradient with the penalty, and the same losses and
 * parameters after steps with the penalty (base logits cached per noise set, or computed every
 * step) and steps after its window; λ = 0 is the plain step exactly. Shapes are awkward on purpose,
 * as in simdTrainer.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistillLoss } from '../../../../src/experiment/config';
import { initialParameters, Stack, type HostParameters } from '../../../../src/experiment/model/mlp';
import { Random } from '../../../../src/experiment/model/random';
import {
  createOptimizer,
  distillLoss,
  distillStep,
  liminalPenalty,
  type DistillTarget,
} from '../../../../src/experiment/reference/train';
import { forward } from '../../../../src/experiment/model/mlp';
import { unpackModel } from '../../../../src/experiment/step/simd/paddedLayout';
import type { LayerInput } from '../../../../src/experiment/step/kernels';
import { materialize } from '../../../../src/experiment/step/stockKernels';
import { SimdTrainer, type SimdLiminal } from '../../../../src/experiment/step/simd/simdTrainer';
import * as tf from '../../../../src/experiment/tf';
import { maxAbsDifference, useWasm, values } from '../../../support/engine';

const SIZES = [784, 40, 20, 13];
const R = 3;
const B = 10;
const NOISE_SET = 500;
/** Tiny, as simdTrainer.test.ts explains; its tolerance too. */
const LR = 1e-5;
const TOLERANCE = 1e-4;
const STEPS = 4;
const WINDOW = 2;
const WEIGHT = 3;

function hostModels(seeds: number[]): HostParameters[] {
  return seeds.map((seed) => {
    const model = initialParameters(SIZES, 1, seed);
    const random = new Random(100 + seed);
    model.biases.forEach((b) => random.fillGaussian(b, 0, 0.1));
    return model;
  });
}

/** A model as one vector: W_l then b_l, layer by layer. */
const flat = (model: HostParameters) => Float32Array.from(model.weights.flatMap((w, l) => [...w, ...model.biases[l]]));

const students = () => hostModels([1, 2, 3]);
const teachers = () => hostModels([4, 5, 6]);
/** Two distinct base models; rows 0 and 1 share the first (as same-init students share the teacher's init). */
const baseModels = () => hostModels([7, 8]);
const BASE_ROWS = [0, 0, 1];
const auxOnly = [true, false, true];
const targets: DistillTarget[] = auxOnly.map((aux) => (aux ? 'aux' : 'all'));

const noiseAt = (step: number): Extract<LayerInput, { kind: 'noise' }> => ({
  kind: 'noise',
  noise: 'uniform',
  seed: 0x9e3779b9,
  models: Int32Array.from({ length: R }, (_, r) => 3 * r + 1),
  index: Int32Array.from({ length: R * B }, (_, i) => (53 * i + 7 * step) % NOISE_SET),
  batch: B,
});

interface Trace {
  losses: number[][];
  after: Float32Array[];
}

let trainer: SimdTrainer;
let before: number;
beforeAll(async () => {
  await useWasm();
  before = tf.memory().numTensors;
  const random = new Random(3);
  const pixels = (n: number) => {
    const out = new Float32Array(n * 784);
    random.fillUniform(out, -1, 1);
    return out;
  };
  const labels = (n: number) => Int32Array.from({ length: n }, () => random.nextInt(10));
  trainer = await SimdTrainer.create(SIZES, B, {
    trainPixels: pixels(64),
    trainLabels: labels(64),
    testPixels: pixels(16),
    testLabels: labels(16),
  });
});
afterAll(() => {
  trainer?.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

/** The autodiff reference: STEPS steps, the penalty on the first WINDOW. */
async function reference(loss: DistillLoss): Promise<Trace> {
  const stack = Stack.fromHost(SIZES, students(), true);
  const teacherStack = Stack.fromHost(SIZES, teachers(), false);
  const bases = baseModels();
  const base = Stack.fromHost(
    SIZES,
    BASE_ROWS.map((b) => bases[b]),
    false,
  );
  const adam = createOptimizer(LR);
  const losses: number[][] = [];
  for (let step = 0; step < STEPS; step++) {
    const x = materialize(noiseAt(step));
    const liminal = step < WINDOW ? { base, weight: WEIGHT } : undefined;
    const l = distillStep(adam, stack, teacherStack, x, targets, loss, 'per-model', liminal);
    losses.push(Array.from(await values(l)));
    tf.dispose([l, x]);
  }
  const after = (await stack.read()).map(flat);
  tf.dispose([...stack.tensors(), ...teacherStack.tensors(), ...base.tensors()]);
  adam.dispose();
  return { losses, after };
}

/** The kernel: the penalty (when `weight` is given) on the first `window` steps; `cached`: base logits per noise set. */
function simd(loss: DistillLoss, weight: number | null, cached: boolean, window = WINDOW): Trace {
  const bank = trainer.bank(students(), true);
  const set = trainer.teachers(trainer.bank(teachers(), false), [0, 1, 2], NOISE_SET);
  const base = trainer.teachers(trainer.bank(baseModels(), false), BASE_ROWS, cached ? NOISE_SET : 0);
  const losses: number[][] = [];
  for (let step = 0; step < STEPS; step++) {
    const liminal: SimdLiminal | undefined = weight !== null && step < window ? { base, weight } : undefined;
    const input = noiseAt(step);
    losses.push(
      Array.from(
        trainer.distillStep({ students: bank, teachers: set, input, auxOnly, loss, learningRate: LR, liminal }),
      ),
    );
  }
  return { losses, after: trainer.read(bank).map(flat) };
}

/** Max abs difference relative to the reference's magnitude (at least 1), as simdTrainer.test.ts measures gradients. */
function relative(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  const scale = Math.max(1, ...Array.from(reference, Math.abs));
  return maxAbsDifference(actual, reference) / scale;
}

/** Each row's gradient of distillation + weight · penalty by autodiff, as one vector per row (W_l then b_l). */
async function referenceGradient(loss: DistillLoss, weight: number): Promise<Float32Array[]> {
  const stack = Stack.fromHost(SIZES, students(), true);
  const teacherStack = Stack.fromHost(SIZES, teachers(), false);
  const bases = baseModels();
  const base = Stack.fromHost(
    SIZES,
    BASE_ROWS.map((b) => bases[b]),
    false,
  );
  const x = materialize(noiseAt(0));
  const { value, grads } = tf.variableGrads(() => {
    const s = forward(stack, x, 'per-model');
    const penalty = tf.mul(liminalPenalty(s, forward(base, x, 'per-model')), weight);
    return tf.sum(tf.add(distillLoss(s, forward(teacherStack, x, 'per-model'), targets, loss), penalty));
  }, stack.variables());
  const layers = SIZES.length - 1;
  const parts = await Promise.all(stack.variables().map((v) => values(grads[v.name])));
  tf.dispose([value, x, ...Object.values(grads), ...stack.tensors(), ...teacherStack.tensors(), ...base.tensors()]);
  return Array.from({ length: R }, (_, r) =>
    Float32Array.from(
      Array.from({ length: layers }, (_, l) => {
        const [w, b] = [parts[l], parts[layers + l]];
        const [wSize, bSize] = [w.length / R, b.length / R];
        return [...w.subarray(r * wSize, (r + 1) * wSize), ...b.subarray(r * bSize, (r + 1) * bSize)];
      }).flat(),
    ),
  );
}

function expectAgree(actual: Trace, expected: Trace, what: string): void {
  actual.losses.forEach((step, i) =>
    expect(maxAbsDifference(step, expected.losses[i]), `${what}: losses at step ${i}`).toBeLessThanOrEqual(TOLERANCE),
  );
  actual.after.forEach((row, r) =>
    expect(maxAbsDifference(row, expected.after[r]), `${what}: row ${r}`).toBeLessThanOrEqual(TOLERANCE),
  );
}

describe('liminal training on the SIMD kernel against the autodiff reference', () => {
  for (const loss of ['kl', 'mse'] as const) {
    it(`${loss}: the gradient with the penalty matches autodiff (base logits cached or not)`, async () => {
      const expected = await referenceGradient(loss, WEIGHT);
      const withoutPenalty = await referenceGradient(loss, 0);
      const bank = trainer.bank(students(), true);
      const set = trainer.teachers(trainer.bank(teachers(), false), [0, 1, 2], NOISE_SET);
      const baseBank = trainer.bank(baseModels(), false);
      for (const setSize of [NOISE_SET, 0]) {
        const liminal = { base: trainer.teachers(baseBank, BASE_ROWS, setSize), weight: WEIGHT };
        for (let r = 0; r < R; r++) {
          const padded = trainer.imitationGradient(bank, set, noiseAt(0), auxOnly[r], loss, r, liminal);
          const got = flat(unpackModel(trainer.layout, padded));
          expect(relative(got, expected[r]), `set ${setSize}, row ${r}`).toBeLessThanOrEqual(TOLERANCE);
          // The penalty's part is far larger than the tolerance.
          expect(relative(got, withoutPenalty[r]), `set ${setSize}, row ${r}`).toBeGreaterThan(100 * TOLERANCE);
        }
      }
    });
  }

  for (const loss of ['kl', 'mse'] as const) {
    it(`${loss}: ${WINDOW} steps with the penalty then ${STEPS - WINDOW} without, base logits cached or not`, async () => {
      const expected = await reference(loss);
      expectAgree(simd(loss, WEIGHT, true), expected, 'cached');
      expectAgree(simd(loss, WEIGHT, false), expected, 'computed');
      // The losses include the penalty (far more than the tolerance).
      const plain = simd(loss, null, true);
      expect(maxAbsDifference(plain.losses[0], expected.losses[0])).toBeGreaterThan(100 * TOLERANCE);
    });
  }

  it('λ = 0 is the plain step exactly', () => {
    const plain = simd('kl', null, true);
    const zero = simd('kl', 0, true, STEPS);
    expect(zero.losses).toEqual(plain.losses);
    zero.after.forEach((row, r) => expect(maxAbsDifference(row, plain.after[r]), `row ${r}`).toBe(0));
  });
});
