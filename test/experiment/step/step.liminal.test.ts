/**
 * Liminal training on stock ops (step.ts's penalty, through TensorGroup) against the autodiff
 * reference (reference/train.ts): same losses and parameters after steps with the penalty and
 * steps after its window, in both stack modes and both losses; λ = 0 is the plain step exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DistillLoss } from '../../../src/experiment/config';
import { initialParameters, layerSizes, Stack, type HostParameters } from '../../../src/experiment/model/mlp';
import {
  createOptimizer,
  distillStep,
  liminalPenalty,
  type DistillTarget,
} from '../../../src/experiment/reference/train';
import { TensorGroup } from '../../../src/experiment/step/group';
import type { LayerInput } from '../../../src/experiment/step/kernels';
import { StockKernels, materialize } from '../../../src/experiment/step/stockKernels';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference, useWasm, values } from '../../support/engine';

beforeAll(useWasm);

const sizes = layerSizes([24, 16], 3);
const K = 3;
const B = 20;
/** Small, as stockKernels.test.ts explains (Adam moves a near-zero-gradient parameter by ±lr). */
const LR = 1e-4;
const TOLERANCE = 1e-4;
/** Steps in all; the penalty holds for the first WINDOW of them. */
const STEPS = 4;
const WINDOW = 2;
const WEIGHT = 2;

const inits = (offset: number) => Array.from({ length: K }, (_, i) => initialParameters(sizes, 4, i + offset));
const targets: DistillTarget[] = ['aux', 'all', 'aux'];
const auxOnly = targets.map((t) => t === 'aux');
/** Row 0 and 1 share a base (as same-init students share the teacher's init); row 2 has its own. */
const bases = (): HostParameters[] => {
  const [a, , c] = inits(20);
  return [a, a, c];
};

const noiseAt = (step: number): Extract<LayerInput, { kind: 'noise' }> => ({
  kind: 'noise',
  noise: 'uniform',
  seed: 2,
  models: Int32Array.from([0, 1, 0]),
  index: Int32Array.from({ length: K * B }, (_, i) => (37 * i + 101 * step) % 1000),
  batch: B,
});

interface Trace {
  losses: number[][];
  after: HostParameters[];
}

/** The autodiff reference: STEPS steps, the penalty on the first `window`. */
async function reference(loss: DistillLoss, weight: number, window: number): Promise<Trace> {
  const students = Stack.fromHost(sizes, inits(0), true);
  const teachers = Stack.fromHost(sizes, inits(10), false);
  const base = Stack.fromHost(sizes, bases(), false);
  const adam = createOptimizer(LR);
  const losses: number[][] = [];
  for (let step = 0; step < STEPS; step++) {
    const x = materialize(noiseAt(step));
    const liminal = step < window ? { base, weight } : undefined;
    const l = distillStep(adam, students, teachers, x, targets, loss, 'per-model', liminal);
    losses.push(Array.from(await values(l)));
    tf.dispose([l, x]);
  }
  const after = await students.read();
  tf.dispose([...students.tensors(), ...teachers.tensors(), ...base.tensors()]);
  adam.dispose();
  return { losses, after };
}

/** The lean step on stock kernels, the penalty on the first `window` steps (weight null: never). */
async function lean(mode: 'per-model' | 'batched', loss: DistillLoss, weight: number | null, window = WINDOW) {
  const kernels = new StockKernels();
  const students = TensorGroup.fromHost(sizes, inits(0), true, mode, kernels);
  const teachers = TensorGroup.fromHost(sizes, inits(10), false, mode, kernels);
  const base = TensorGroup.fromHost(sizes, bases(), false, mode, kernels);
  const losses: number[][] = [];
  for (let step = 0; step < STEPS; step++) {
    const liminal = weight !== null && step < window ? { base, weight } : undefined;
    const input = noiseAt(step);
    const l = students.distillStep({ teachers, input, auxOnly, loss, learningRate: LR, liminal });
    losses.push(Array.from(await values(l)));
    l.dispose();
  }
  const after = await students.read();
  [students, teachers, base].forEach((group) => group.dispose());
  return { losses, after };
}

/** Largest difference of any parameter between two traces' models. */
function parameterDifference(a: HostParameters[], b: HostParameters[]): number {
  return Math.max(
    ...a.flatMap((model, m) => [
      ...model.weights.map((w, l) => maxAbsDifference(w, b[m].weights[l])),
      ...model.biases.map((bias, l) => maxAbsDifference(bias, b[m].biases[l])),
    ]),
  );
}

describe('liminal training on stock ops against the autodiff reference', () => {
  for (const loss of ['kl', 'mse'] as const) {
    it(`${loss}: ${WINDOW} steps with the penalty then ${STEPS - WINDOW} without agree with the reference to ${TOLERANCE}`, async () => {
      const expected = await reference(loss, WEIGHT, WINDOW);
      const plain = await reference(loss, WEIGHT, 0);
      for (const mode of ['per-model', 'batched'] as const) {
        const before = tf.memory().numTensors;
        const trace = await lean(mode, loss, WEIGHT);
        expect(tf.memory().numTensors).toBe(before);
        trace.losses.forEach((step, i) =>
          expect(maxAbsDifference(step, expected.losses[i]), `${mode} loss at step ${i}`).toBeLessThan(TOLERANCE),
        );
        expect(parameterDifference(trace.after, expected.after), `${mode} parameters`).toBeLessThan(TOLERANCE);
      }
      // The penalty changed the losses (they include it) and the parameters, by far more than the tolerance.
      expect(maxAbsDifference(expected.losses[0], plain.losses[0])).toBeGreaterThan(100 * TOLERANCE);
      expect(parameterDifference(expected.after, plain.after)).toBeGreaterThan(3 * TOLERANCE);
    });
  }

  it('λ = 0 is the plain step exactly, and after the window each step is the plain step', async () => {
    const plain = await lean('per-model', 'kl', null);
    const zero = await lean('per-model', 'kl', 0, STEPS);
    expect(zero.losses).toEqual(plain.losses);
    expect(zero.after).toEqual(plain.after);
    // A window of 0 steps: the same as no liminal training at all.
    const closed = await lean('batched', 'kl', WEIGHT, 0);
    expect(closed.losses).toEqual((await lean('batched', 'kl', null)).losses);
  });
});

describe('the penalty itself', () => {
  it('is KL(softmax(base) ‖ softmax(student)) over all logits: hand-computed, and zero at the base', async () => {
    // One sample, 13 logits: the base uniform, the student with one logit raised by 1.
    const student = tf.tensor3d([[[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]]);
    const base = tf.zeros([1, 1, 13]) as tf.Tensor3D;
    const q = Array.from({ length: 13 }, (_, c) => (c === 0 ? Math.E : 1) / (Math.E + 12));
    const expected = q.reduce((sum, qc) => sum + (1 / 13) * (Math.log(1 / 13) - Math.log(qc)), 0);
    const [penalty, atBase] = [liminalPenalty(student, base), liminalPenalty(student, student)];
    expect((await values(penalty))[0]).toBeCloseTo(expected, 6);
    expect((await values(atBase))[0]).toBeCloseTo(0, 7);
    tf.dispose([student, base, penalty, atBase]);
  });
});
