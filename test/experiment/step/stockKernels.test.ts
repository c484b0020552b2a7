/**
 * The lean step (hand-written backpropagation over packed stacks, one Adam over the packed state)
 * against the plain step (tfjs autodiff over the plain stack, tfjs's Adam): same losses and same
 * parameters after several teacher and distillation steps, in both stack modes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
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
  teacherStep,
  type DistillTarget,
} from '../../../src/experiment/reference/train';
import { forward } from '../../../src/experiment/model/mlp';
import { PackedStack, paramLayout } from '../../../src/experiment/step/layout';
import { StockKernels, materialize } from '../../../src/experiment/step/stockKernels';
import { packedDistillStep } from '../../../src/experiment/step/step';
import { TensorGroup } from '../../../src/experiment/step/group';
import type { LayerInput } from '../../../src/experiment/step/kernels';
import type { DistillLoss } from '../../../src/experiment/config';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference, useWasm, values } from '../../support/engine';

beforeAll(useWasm);

const sizes = layerSizes([24, 16], 3);
const K = 3;
const B = 20;
const N = 50;
const STEPS = 3;
/**
 * Small on purpose: Adam moves every parameter by about the learning rate whatever its gradient's
 * size, so a parameter whose gradient is near zero (where float rounding decides its sign) moves
 * by a rounding-chosen ±lr in either implementation. The gradients themselves are compared tightly.
 */
const LR = 1e-4;

interface Trace {
  losses: number[][];
  after: HostParameters[];
}

function fixtures() {
  const random = new Random(11);
  const pixels = new Float32Array(N * 784);
  random.fillUniform(pixels, -1, 1);
  const images = tf.tensor2d(pixels, [N, 784]);
  const labels = tf.tensor1d(
    Int32Array.from({ length: N }, () => random.nextInt(10)),
    'int32',
  );
  const index = Int32Array.from({ length: K * B }, () => random.nextInt(N));
  const noiseIndex = Int32Array.from({ length: K * B }, () => random.nextInt(1000));
  return { images, labels, index, noiseIndex };
}

const inits = (offset: number) => Array.from({ length: K }, (_, i) => initialParameters(sizes, 4, i + offset));
const targets: DistillTarget[] = ['aux', 'all', 'aux'];

async function plain(mode: StackMode, loss: DistillLoss): Promise<Trace> {
  const { images, labels, index, noiseIndex } = fixtures();
  const noiseInput: LayerInput = {
    kind: 'noise',
    noise: 'uniform',
    seed: 2,
    models: Int32Array.from([0, 1, 0]),
    index: noiseIndex,
    batch: B,
  };
  const x = tf.tidy(() => tf.reshape(tf.gather(images, tf.tensor1d(index, 'int32')), [K, B, 784]) as tf.Tensor3D);
  const y = tf.tidy(() => tf.reshape(tf.gather(labels, tf.tensor1d(index, 'int32')), [K, B]) as tf.Tensor2D);
  const noise = materialize(noiseInput);
  const stack = Stack.fromHost(sizes, inits(0), true);
  const teachers = Stack.fromHost(sizes, inits(10), false);
  const [adamT, adamS] = [createOptimizer(LR), createOptimizer(LR)];
  const losses: number[][] = [];
  for (let i = 0; i < STEPS; i++) {
    const l = teacherStep(adamT, stack, x, y, mode);
    losses.push(Array.from(await values(l)));
    l.dispose();
  }
  for (let i = 0; i < STEPS; i++) {
    const l = distillStep(adamS, stack, teachers, noise, targets, loss, mode);
    losses.push(Array.from(await values(l)));
    l.dispose();
  }
  const after = await stack.read();
  tf.dispose([images, labels, x, y, noise, ...stack.tensors(), ...teachers.tensors()]);
  adamT.dispose();
  adamS.dispose();
  return { losses, after };
}

async function lean(mode: StackMode, loss: DistillLoss): Promise<Trace> {
  const { images, labels, index, noiseIndex } = fixtures();
  const kernels = new StockKernels();
  // Model by model = a group of one-model stacks.
  const stack = TensorGroup.fromHost(sizes, inits(0), true, mode, kernels);
  const teachers = TensorGroup.fromHost(sizes, inits(10), false, mode, kernels);
  const losses: number[][] = [];
  for (let i = 0; i < STEPS; i++) {
    const l = stack.teacherStep({
      input: { kind: 'images', images, index, batch: B },
      labels: { kind: 'labels', labels, index, batch: B },
      learningRate: LR,
    });
    losses.push(Array.from(await values(l)));
    l.dispose();
  }
  // The student phase starts a fresh optimizer, as the plain run does.
  const students = TensorGroup.fromHost(sizes, await stack.read(), true, mode, kernels);
  for (let i = 0; i < STEPS; i++) {
    const noiseInput: LayerInput = {
      kind: 'noise',
      noise: 'uniform',
      seed: 2,
      models: Int32Array.from([0, 1, 0]),
      index: noiseIndex,
      batch: B,
    };
    const l = students.distillStep({
      teachers,
      input: noiseInput,
      auxOnly: targets.map((t) => t === 'aux'),
      loss,
      learningRate: LR,
    });
    losses.push(Array.from(await values(l)));
    l.dispose();
  }
  const after = await students.read();
  tf.dispose([images, labels]);
  [stack, teachers, students].forEach((s) => s.dispose());
  return { losses, after };
}

describe('packed layout', () => {
  it('places each layer’s weights then biases, back to back', () => {
    const layout = paramLayout([784, 24, 16, 13]);
    expect(layout.weightOffset).toEqual([0, 784 * 24 + 24, 784 * 24 + 24 + 24 * 16 + 16]);
    expect(layout.biasOffset).toEqual([784 * 24, 784 * 24 + 24 + 24 * 16, layout.perModel - 13]);
    expect(layout.perModel).toBe(784 * 24 + 24 + 24 * 16 + 16 + 16 * 13 + 13);
  });

  it('round-trips host parameters exactly, trainable or frozen', async () => {
    const models = inits(0);
    for (const trainable of [true, false]) {
      const stack = PackedStack.fromHost(sizes, models, trainable);
      expect(stack.trainable).toBe(trainable);
      expect(await stack.read()).toEqual(models);
      stack.dispose();
    }
  });
});

describe('lean step on stock ops against the plain step', () => {
  const reference: Partial<Record<DistillLoss, Trace>> = {};
  beforeAll(async () => {
    reference.kl = await plain('per-model', 'kl');
    reference.mse = await plain('per-model', 'mse');
  });

  for (const mode of ['per-model', 'batched'] as const) {
    for (const loss of ['kl', 'mse'] as const) {
      it(`${mode}, ${loss}: losses and parameters agree to 1e-4 after ${STEPS} teacher and ${STEPS} distillation steps`, async () => {
        const before = tf.memory().numTensors;
        const trace = await lean(mode, loss);
        expect(tf.memory().numTensors).toBe(before);
        const expected = reference[loss]!;
        trace.losses.forEach((step, i) =>
          expect(maxAbsDifference(step, expected.losses[i]), `loss at step ${i}`).toBeLessThan(1e-4),
        );
        trace.after.forEach((model, m) => {
          model.weights.forEach((w, l) =>
            expect(maxAbsDifference(w, expected.after[m].weights[l]), `model ${m} W${l}`).toBeLessThan(1e-4),
          );
          model.biases.forEach((b, l) =>
            expect(maxAbsDifference(b, expected.after[m].biases[l]), `model ${m} b${l}`).toBeLessThan(1e-4),
          );
        });
        // Training moved the parameters more than the tolerance.
        expect(maxAbsDifference(trace.after[0].weights[2], inits(0)[0].weights[2])).toBeGreaterThan(3e-4);
      });
    }
  }

  for (const mode of ['per-model', 'batched'] as const) {
    it(`the hand-written gradient equals tfjs autodiff (${mode}) to 1e-5 of its largest entry`, async () => {
      const kernels = new StockKernels();
      const input: LayerInput = {
        kind: 'noise',
        noise: 'uniform',
        seed: 2,
        models: Int32Array.from([0, 1, 0]),
        index: Int32Array.from({ length: K * B }, (_, i) => 7 * i),
        batch: B,
      };
      const plainStudents = Stack.fromHost(sizes, inits(0), true);
      const plainTeachers = Stack.fromHost(sizes, inits(10), false);
      const x = materialize(input);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(distillLoss(forward(plainStudents, x, mode), forward(plainTeachers, x, mode), targets, 'kl')),
        plainStudents.variables(),
      );
      const students = PackedStack.fromHost(sizes, inits(0), true);
      const teachers = PackedStack.fromHost(sizes, inits(10), false);
      const packed = tf.tidy(() => {
        const logits = kernels.forward(teachers, input);
        const activations = kernels.forward(students, input);
        const { gradient } = kernels.lossGradient(activations[2], {
          kind: 'distill',
          teacher: logits[2],
          auxOnly: targets.map((t) => t === 'aux'),
          loss: 'kl',
        });
        return kernels.parameterGradient(students, input, activations, gradient);
      });
      const leanGradient = await values(packed);
      const layout = paramLayout(sizes);
      const variables = plainStudents.variables();
      for (let layer = 0; layer < sizes.length - 1; layer++) {
        const [w, b] = [await values(grads[variables[layer].name]), await values(grads[variables[layer + 3].name])];
        const [wSize, bSize] = [w.length / K, b.length / K];
        for (let model = 0; model < K; model++) {
          const row = model * layout.perModel;
          const expectedW = w.subarray(model * wSize, (model + 1) * wSize);
          const scale = Math.max(...Array.from(expectedW, Math.abs));
          const gotW = leanGradient.subarray(
            row + layout.weightOffset[layer],
            row + layout.weightOffset[layer] + wSize,
          );
          const gotB = leanGradient.subarray(row + layout.biasOffset[layer], row + layout.biasOffset[layer] + bSize);
          expect(maxAbsDifference(gotW, expectedW) / scale, `model ${model} W${layer}`).toBeLessThan(1e-5);
          expect(
            maxAbsDifference(gotB, b.subarray(model * bSize, (model + 1) * bSize)) / scale,
            `model ${model} b${layer}`,
          ).toBeLessThan(1e-5);
        }
      }
      tf.dispose([value, x, packed, ...Object.values(grads), ...plainStudents.tensors(), ...plainTeachers.tensors()]);
      students.dispose();
      teachers.dispose();
    });
  }

  it('gives aux-only students exactly zero change on the class columns of the last layer', async () => {
    const kernels = new StockKernels();
    const students = PackedStack.fromHost(sizes, inits(0), true);
    const teachers = PackedStack.fromHost(sizes, inits(10), false);
    const input: LayerInput = {
      kind: 'noise',
      noise: 'gaussian',
      seed: 1,
      models: Int32Array.from([0, 1, 2]),
      index: Int32Array.from({ length: K * B }, (_, i) => i),
      batch: B,
    };
    packedDistillStep({
      kernels,
      students,
      teachers,
      input,
      auxOnly: [true, false, true],
      loss: 'kl',
      learningRate: LR,
    }).dispose();
    const [before, after] = [inits(0), await students.read()];
    const last = sizes.length - 2;
    const classColumnChange = (model: number) =>
      Math.max(
        ...Array.from(after[model].weights[last], (w, i) =>
          i % sizes[last + 1] < 10 ? Math.abs(w - before[model].weights[last][i]) : 0,
        ),
      );
    expect(classColumnChange(0)).toBe(0);
    expect(classColumnChange(2)).toBe(0);
    expect(classColumnChange(1)).toBeGreaterThan(0);
    students.dispose();
    teachers.dispose();
  });
});
