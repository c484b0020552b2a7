import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLASS_COUNT } from '../../../src/experiment/config';
import {
  forward,
  initialParameters,
  layerSizes,
  Stack,
  type HostParameters,
  type StackMode,
} from '../../../src/experiment/model/mlp';
import { Random } from '../../../src/experiment/model/random';
import {
  createOptimizer,
  distillLoss,
  distillStep,
  teacherLoss,
  teacherStep,
  type DistillTarget,
} from '../../../src/experiment/reference/train';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference, useWasm, values } from '../../support/engine';

const sizes = layerSizes([24, 16], 3);
const K = 3;
const B = 20;
const MODES: StackMode[] = ['batched', 'per-model'];

/** Reads a tensor and disposes it. */
async function take(t: tf.Tensor): Promise<Float32Array> {
  const out = await values(t);
  t.dispose();
  return out;
}

function models(seed = 1): HostParameters[] {
  return Array.from({ length: K }, (_, i) => initialParameters(sizes, seed, i));
}

function uniform(shape: number[], seed: number): tf.Tensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  new Random(seed).fillUniform(data, -1, 1);
  return tf.tensor(data, shape);
}

function labels(seed: number): tf.Tensor2D {
  const random = new Random(seed);
  return tf.tensor2d(
    Int32Array.from({ length: K * B }, () => random.nextInt(10)),
    [K, B],
    'int32',
  );
}

/** Model `i` of a stacked tensor [k, …] as its own stack of one [1, …]. */
function row(t: tf.Tensor, i: number): tf.Tensor {
  return tf.slice(t, i, 1);
}

/** Gradients of Σ per-model losses, per variable, read back. */
async function gradients(stack: Stack, loss: () => tf.Tensor1D): Promise<Float32Array[]> {
  const { value, grads } = tf.variableGrads(() => tf.sum(loss()), stack.variables());
  const out = await Promise.all(stack.variables().map((v) => values(grads[v.name])));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

/** The same MLP written with plain tfjs ops and autodiff, as a check on the hand-written gradient. */
function plainLogits(stack: Stack, x: tf.Tensor3D): tf.Tensor3D {
  let h: tf.Tensor = x;
  stack.weights.forEach((w, layer) => {
    h = tf.add(tf.matMul(h, w), tf.expandDims(stack.biases[layer], 1));
    if (layer < stack.layerCount - 1) h = tf.relu(h);
  });
  return h as tf.Tensor3D;
}

beforeAll(useWasm);
let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => expect(tf.memory().numTensors).toBe(before));

describe('a stack of k models is k independent models', () => {
  for (const mode of MODES) {
    it(`${mode}: outputs equal each model run alone (per-model and shared inputs)`, async () => {
      const stack = Stack.fromHost(sizes, models(), false);
      const x = uniform([K, B, 784], 2) as tf.Tensor3D;
      const shared = uniform([B, 784], 3) as tf.Tensor2D;
      const together = await take(forward(stack, x, mode));
      const togetherShared = await take(forward(stack, shared, mode));
      for (let i = 0; i < K; i++) {
        const alone = Stack.fromHost(sizes, [models()[i]], false);
        const xi = row(x, i) as tf.Tensor3D;
        const mine = await take(forward(alone, xi, mode));
        const per = mine.length;
        expect(maxAbsDifference(together.subarray(i * per, (i + 1) * per), mine)).toBeLessThan(1e-5);
        const mineShared = await take(forward(alone, shared, mode));
        expect(maxAbsDifference(togetherShared.subarray(i * per, (i + 1) * per), mineShared)).toBeLessThan(1e-5);
        tf.dispose([xi, ...alone.tensors()]);
      }
      tf.dispose([x, shared, ...stack.tensors()]);
    });

    it(`${mode}: the hand-written gradient matches tfjs autodiff of the plain MLP`, async () => {
      const stack = Stack.fromHost(sizes, models(), true);
      const x = uniform([K, B, 784], 4) as tf.Tensor3D;
      const y = labels(5);
      const fast = await gradients(stack, () => teacherLoss(forward(stack, x, mode), y));
      const plain = await gradients(stack, () => teacherLoss(plainLogits(stack, x), y));
      fast.forEach((g, i) => expect(maxAbsDifference(g, plain[i])).toBeLessThan(1e-5));
      expect(fast.some((g) => g.some((v) => v !== 0))).toBe(true);
      tf.dispose([x, y, ...stack.tensors()]);
    });

    it(`${mode}: one teacher step, and one mixed distillation step, update each model as if it were alone`, async () => {
      const x = uniform([K, B, 784], 6) as tf.Tensor3D;
      const y = labels(7);
      const targets: DistillTarget[] = ['aux', 'all', 'aux'];
      const teachers = Stack.fromHost(sizes, models(9), false);

      /** One step of the given kind from the initial parameters; returns the parameters after it. */
      const oneStep = async (
        kind: 'teacher' | 'distill',
        ms: HostParameters[],
        slice: (t: tf.Tensor) => tf.Tensor,
        stepTargets: DistillTarget[],
        teacherStack: Stack,
      ) => {
        const stack = Stack.fromHost(sizes, ms, true);
        const xs = slice(x) as tf.Tensor3D;
        const ys = slice(y) as tf.Tensor2D;
        const adam = createOptimizer(1e-3);
        const losses =
          kind === 'teacher'
            ? teacherStep(adam, stack, xs, ys, mode)
            : distillStep(adam, stack, teacherStack, xs, stepTargets, 'kl', mode);
        const after = await stack.read();
        tf.dispose([losses, xs, ys, ...stack.tensors()]);
        adam.dispose();
        return after;
      };

      for (const kind of ['teacher', 'distill'] as const) {
        const together = await oneStep(kind, models(), (t) => tf.clone(t), targets, teachers);
        for (let i = 0; i < K; i++) {
          const teacherI = teachers.gather([i], false);
          const [alone] = await oneStep(kind, [models()[i]], (t) => row(t, i), [targets[i]], teacherI);
          teacherI.dispose();
          alone.weights.forEach((w, layer) =>
            expect(maxAbsDifference(w, together[i].weights[layer]), `${kind} W${layer} model ${i}`).toBeLessThan(1e-5),
          );
          alone.biases.forEach((b, layer) =>
            expect(maxAbsDifference(b, together[i].biases[layer]), `${kind} b${layer} model ${i}`).toBeLessThan(1e-5),
          );
          // And the step really moved the model.
          expect(maxAbsDifference(alone.weights[0], models()[i].weights[0])).toBeGreaterThan(1e-4);
        }
      }
      tf.dispose([x, y, ...teachers.tensors()]);
    });
  }
});

describe('which output columns each loss trains', () => {
  const last = sizes.length - 2;
  const width = sizes[sizes.length - 1];
  /** Max |gradient| of the last layer's weight columns [from, to) and bias entries, per model. */
  function columnGradient(g: { w: Float32Array; b: Float32Array }, model: number, from: number, to: number): number {
    const fanIn = sizes[last];
    let max = 0;
    for (let r = 0; r < fanIn; r++)
      for (let c = from; c < to; c++) max = Math.max(max, Math.abs(g.w[(model * fanIn + r) * width + c]));
    for (let c = from; c < to; c++) max = Math.max(max, Math.abs(g.b[model * width + c]));
    return max;
  }
  async function lastLayerGradients(loss: (stack: Stack, x: tf.Tensor3D) => tf.Tensor1D) {
    const stack = Stack.fromHost(sizes, models(), true);
    const x = uniform([K, B, 784], 11) as tf.Tensor3D;
    const all = await gradients(stack, () => loss(stack, x));
    tf.dispose([x, ...stack.tensors()]);
    // variables(): weights then biases.
    return { w: all[last], b: all[stack.layerCount + last] };
  }

  it('the teacher loss puts exactly zero gradient on the auxiliary columns', async () => {
    const y = labels(12);
    const g = await lastLayerGradients((stack, x) => teacherLoss(forward(stack, x, 'per-model'), y));
    y.dispose();
    for (let model = 0; model < K; model++) {
      expect(columnGradient(g, model, CLASS_COUNT, width)).toBe(0);
      expect(columnGradient(g, model, 0, CLASS_COUNT)).toBeGreaterThan(0);
    }
  });

  for (const loss of ['kl', 'mse'] as const) {
    it(`the aux-only ${loss} distillation loss puts exactly zero gradient on the class columns, all-logit students train both`, async () => {
      const teacher = Stack.fromHost(sizes, models(13), false);
      const targets: DistillTarget[] = ['aux', 'all', 'aux'];
      const g = await lastLayerGradients((stack, x) => {
        const t = forward(teacher, x, 'batched');
        return distillLoss(forward(stack, x, 'batched'), t, targets, loss);
      });
      teacher.dispose();
      for (let model = 0; model < K; model++) {
        const classGradient = columnGradient(g, model, 0, CLASS_COUNT);
        if (targets[model] === 'aux') expect(classGradient).toBe(0);
        else expect(classGradient).toBeGreaterThan(0);
        expect(columnGradient(g, model, CLASS_COUNT, width)).toBeGreaterThan(0);
      }
    });
  }
});

describe('losses against hand-computed values', () => {
  it('KL(softmax(t) ‖ softmax(s)) on the aux logits and cross-entropy on the class logits', async () => {
    const s = tf.tensor3d([[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]]]);
    const t = tf.tensor3d([[[5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0, 0, 0]]]);
    // Aux: teacher uniform over 3, student softmax(1,0,0): KL = Σ ⅓(log ⅓ − log q).
    const q = [Math.E, 1, 1].map((v) => v / (Math.E + 2));
    const expectedKl = q.reduce((sum, qi) => sum + (1 / 3) * (Math.log(1 / 3) - Math.log(qi)), 0);
    const kl = distillLoss(s, t, ['aux'], 'kl');
    expect((await kl.data())[0]).toBeCloseTo(expectedKl, 6);
    const mse = distillLoss(s, t, ['aux'], 'mse');
    expect((await mse.data())[0]).toBeCloseTo(1 / 3, 6);
    // Cross-entropy of class 3 under uniform class logits: log 10, whatever the aux logits are.
    const label = tf.tensor2d([[3]], [1, 1], 'int32');
    const ce = teacherLoss(s, label);
    expect((await ce.data())[0]).toBeCloseTo(Math.log(10), 5);
    tf.dispose([s, t, kl, mse, ce, label]);
  });
});
