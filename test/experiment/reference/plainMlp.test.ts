/**
 * The plain float64 MLP is the specification the kernels are held to, so it is itself held to two
 * independent answers: its gradients to finite differences of its own losses, and its forward
 * pass, losses, gradients and Adam steps to tfjs's autodiff reference (reference/train.ts).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DistillLoss } from '../../../src/experiment/config';
import type { DistillTarget } from '../../../src/experiment/model/conditions';
import { forward as tfForward, initialParameters, layerSizes, Stack } from '../../../src/experiment/model/mlp';
import type { HostParameters } from '../../../src/experiment/model/mlp';
import { Random } from '../../../src/experiment/model/random';
import * as plain from '../../../src/experiment/reference/plainMlp';
import type { LossAndGradient, PlainMlp } from '../../../src/experiment/reference/plainMlp';
import * as reference from '../../../src/experiment/reference/train';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference, useWasm, values } from '../../support/engine';

const SIZES = layerSizes([12, 8], 4);
const K = 3;
const B = 6;
/** Student j's target in the mixed stacks below: both kinds, so tfjs's masked path is exercised too. */
const TARGETS: DistillTarget[] = ['aux', 'all', 'aux'];

/** K models with biases that are not zero, so that every term of a layer is exercised. */
function models(seed: number): HostParameters[] {
  return Array.from({ length: K }, (_, i) => {
    const parameters = initialParameters(SIZES, seed, i);
    const random = Random.stream(seed, 'test-biases', i);
    parameters.biases.forEach((b) => random.fillUniform(b, -0.3, 0.3));
    return parameters;
  });
}

function uniform(length: number, seed: number): Float32Array {
  const data = new Float32Array(length);
  new Random(seed).fillUniform(data, -1, 1);
  return data;
}

const labels = (seed: number) => {
  const random = new Random(seed);
  return Int32Array.from({ length: K * B }, () => random.nextInt(10));
};

/** Model i's rows of a [K, B, …] array. */
const rowsOf = <T extends Float32Array | Int32Array>(all: T, i: number): T =>
  all.subarray((i * all.length) / K, ((i + 1) * all.length) / K) as T;

/** Every parameter of a model, weights then biases, layer by layer (tfjs's variable order). */
const flat = <T>(p: { weights: T[]; biases: T[] }): T[] => [...p.weights, ...p.biases];

// ---------------------------------------------------------------------------------------------

describe('the plain MLP against finite differences', () => {
  const pixels = uniform(B * 784, 1);
  const digits = rowsOf(labels(2), 0);
  const teacher = plain.forward(plain.plainMlp(SIZES, models(3)[0]), pixels, B).at(-1)!;
  const losses: [string, (logits: ArrayLike<number>) => LossAndGradient][] = [
    ['teacher cross-entropy', (logits) => plain.crossEntropy(logits, digits, B)],
  ];
  for (const kind of ['kl', 'mse'] as DistillLoss[])
    for (const target of ['aux', 'all'] as DistillTarget[])
      losses.push([`${kind} on ${target}`, (logits) => plain.distillation(logits, teacher, B, target, kind)]);

  for (const [name, lossOf] of losses) {
    it(`backward gives d(loss)/d(parameter) of the ${name}`, () => {
      const model = plain.plainMlp(SIZES, models(4)[0]);
      const lossAt = (m: PlainMlp) => lossOf(plain.forward(m, pixels, B).at(-1)!).loss;
      const activations = plain.forward(model, pixels, B);
      const gradients = flat(plain.backward(model, activations, lossOf(activations.at(-1)!).gradient, B));
      const h = 1e-6;
      let worst = 0;
      let largest = 0;
      flat(model).forEach((p, k) => {
        // Every parameter but most of the first layer's 784 × 12 weights (a sample of them).
        const stride = p.length > 1000 ? 97 : 1;
        for (let i = 0; i < p.length; i += stride) {
          const saved = p[i];
          p[i] = saved + h;
          const up = lossAt(model);
          p[i] = saved - h;
          const down = lossAt(model);
          p[i] = saved;
          worst = Math.max(worst, Math.abs((up - down) / (2 * h) - gradients[k][i]));
          largest = Math.max(largest, Math.abs(gradients[k][i]));
        }
      });
      expect(largest).toBeGreaterThan(1e-2);
      expect(worst).toBeLessThan(1e-8);
    });
  }
});

// ---------------------------------------------------------------------------------------------

beforeAll(useWasm);
let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => expect(tf.memory().numTensors).toBe(before));

/**
 * tfjs computes in float32: a loss near 2.3 is only known to a few of its ulps (2.4e-7 each); the
 * logits, gradients and parameters, of order 1 and below, are held to a few float32 roundings too.
 */
const LOSS_TOLERANCE = 1e-5;

/** The same inputs for both sides: K models' batches x [K, B, 784], their labels, and frozen teachers. */
const x = uniform(K * B * 784, 5);
const y = labels(6);
const teacherHost = models(7);
const plainTeachers = teacherHost.map((host) => plain.plainMlp(SIZES, host));

/** The plain loss of model i for a kind of step. */
function plainLoss(kind: 'teacher' | DistillLoss, i: number): (logits: ArrayLike<number>) => LossAndGradient {
  const xi = rowsOf(x, i);
  if (kind === 'teacher') return (logits) => plain.crossEntropy(logits, rowsOf(y, i), B);
  const teacher = plain.forward(plainTeachers[i], xi, B).at(-1)!;
  return (logits) => plain.distillation(logits, teacher, B, TARGETS[i], kind);
}

/** The tfjs reference's per-model losses of a kind of step. */
function tfLoss(kind: 'teacher' | DistillLoss, stack: Stack, teachers: Stack, xs: tf.Tensor3D, ys: tf.Tensor2D) {
  const logits = tfForward(stack, xs, 'batched');
  if (kind === 'teacher') return reference.teacherLoss(logits, ys);
  return reference.distillLoss(logits, tfForward(teachers, xs, 'batched'), TARGETS, kind);
}

describe('the plain MLP against the tfjs autodiff reference', () => {
  it('gives the logits of the same weights', async () => {
    const stack = Stack.fromHost(SIZES, models(8), false);
    const xs = tf.tensor3d(x, [K, B, 784]);
    const out = tfForward(stack, xs, 'batched');
    const expected = await values(out);
    tf.dispose([out, xs, ...stack.tensors()]);
    models(8).forEach((host, i) => {
      const mine = plain.forward(plain.plainMlp(SIZES, host), rowsOf(x, i), B).at(-1)!;
      expect(maxAbsDifference(mine, rowsOf(expected, i))).toBeLessThan(1e-6);
    });
  });

  for (const kind of ['teacher', 'kl', 'mse'] as const) {
    it(`gives the ${kind} loss and its gradient for every parameter`, async () => {
      const stack = Stack.fromHost(SIZES, models(9), true);
      const teachers = Stack.fromHost(SIZES, teacherHost, false);
      const [xs, ys] = [tf.tensor3d(x, [K, B, 784]), tf.tensor2d(y, [K, B], 'int32')];
      let lossTensor: tf.Tensor | null = null;
      const { value, grads } = tf.variableGrads(() => {
        lossTensor = tf.keep(tfLoss(kind, stack, teachers, xs, ys));
        return tf.sum(lossTensor);
      }, stack.variables());
      const expectedLosses = await values(lossTensor!);
      const expectedGradients = await Promise.all(stack.variables().map((v) => values(grads[v.name])));
      tf.dispose([value, lossTensor!, ...Object.values(grads), xs, ys, ...stack.tensors(), ...teachers.tensors()]);

      models(9).forEach((host, i) => {
        const model = plain.plainMlp(SIZES, host);
        const activations = plain.forward(model, rowsOf(x, i), B);
        const { loss, gradient } = plainLoss(kind, i)(activations.at(-1)!);
        expect(Math.abs(loss - expectedLosses[i]), `loss of model ${i}`).toBeLessThan(LOSS_TOLERANCE);
        flat(plain.backward(model, activations, gradient, B)).forEach((g, k) => {
          const theirs = expectedGradients[k].subarray(i * g.length, (i + 1) * g.length);
          expect(maxAbsDifference(g, theirs), `gradient ${k} of model ${i}`).toBeLessThan(1e-6);
        });
      });
    });
  }

  for (const kind of ['teacher', 'kl'] as const) {
    it(`takes the same two Adam steps (${kind})`, async () => {
      const learningRate = 1e-3;
      const stack = Stack.fromHost(SIZES, models(10), true);
      const teachers = Stack.fromHost(SIZES, teacherHost, false);
      const [xs, ys] = [tf.tensor3d(x, [K, B, 784]), tf.tensor2d(y, [K, B], 'int32')];
      const optimizer = reference.createOptimizer(learningRate);
      const expectedLosses: Float32Array[] = [];
      for (let step = 0; step < 2; step++) {
        const losses =
          kind === 'teacher'
            ? reference.teacherStep(optimizer, stack, xs, ys, 'batched')
            : reference.distillStep(optimizer, stack, teachers, xs, TARGETS, kind, 'batched');
        expectedLosses.push(await values(losses));
        losses.dispose();
      }
      const expected = await stack.read();
      optimizer.dispose();
      tf.dispose([xs, ys, ...stack.tensors(), ...teachers.tensors()]);

      models(10).forEach((host, i) => {
        const model = plain.plainMlp(SIZES, host);
        const adam = plain.adamState(model);
        for (let step = 0; step < 2; step++) {
          const loss = plain.trainStep(model, adam, rowsOf(x, i), B, plainLoss(kind, i), learningRate);
          expect(Math.abs(loss - expectedLosses[step][i]), `loss at step ${step}`).toBeLessThan(LOSS_TOLERANCE);
        }
        const [mine, theirs, start] = [flat(model), flat(expected[i]), flat(host)];
        mine.forEach((p, k) => {
          expect(maxAbsDifference(p, theirs[k]), `parameter ${k} of model ${i}`).toBeLessThan(3e-6);
          // And the steps really moved it (by about two learning rates).
          expect(maxAbsDifference(p, start[k])).toBeGreaterThan(learningRate);
        });
      });
    });
  }
});
