/**
 * The hand-written WebGPU programs (WebGpuKernels) against the stock-op reference (StockKernels,
 * batched over the rows) on the same webgpu backend: every kernel, whole lean steps, the number of
 * dispatches per step, and no leaked tensors. Under CI the test is required; elsewhere it is
 * skipped with a loud warning when WebGPU is missing (see webgpu.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/experiment/device/backend';
import type { DistillLoss, NoiseKind } from '../../../src/experiment/config';
import type { LayerInput, LossTarget, StepKernels } from '../../../src/experiment/step/kernels';
import { PackedStack, paramLayout } from '../../../src/experiment/step/layout';
import { packedDistillStep, packedTeacherStep } from '../../../src/experiment/step/step';
import { TensorGroup } from '../../../src/experiment/step/group';
import { StockKernels } from '../../../src/experiment/step/stockKernels';
import { WebGpuKernels } from '../../../src/experiment/step/webgpuKernels';
import { initialParameters, type HostParameters } from '../../../src/experiment/model/mlp';
import { Random } from '../../../src/experiment/model/random';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference, sameBits } from '../../support/engine';
import { requireWebGpu } from '../../support/webgpu';

const missing = await requireWebGpu('WebGPU kernel tests');

const R = 3;
const B = 37;
const IMAGES = 64;
const DEEP = [784, 24, 16, 13];
// Same layer-1 width as DEEP: SwiftShader compiles slowly, and the programs are then shared.
const SHALLOW = [784, 24, 13];

/** Initial parameters with non-zero biases, so that the bias path is exercised too. */
function hostModels(sizes: number[], seeds: number[]): HostParameters[] {
  return seeds.map((seed) => {
    const model = initialParameters(sizes, 1, seed);
    const random = new Random(100 + seed);
    model.biases.forEach((b) => random.fillGaussian(b, 0, 0.1));
    return model;
  });
}

const stackOf = (sizes: number[], seeds: number[], trainable = true) =>
  PackedStack.fromHost(sizes, hostModels(sizes, seeds), trainable);

async function host(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from(await t.data());
}

async function difference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  return maxAbsDifference(await host(a), await host(b));
}

/** Max abs difference relative to the reference's magnitude (at least 1). */
async function relativeDifference(actual: tf.Tensor, reference: tf.Tensor): Promise<number> {
  const ref = await host(reference);
  const scale = Math.max(1, ...Array.from(ref, Math.abs));
  return maxAbsDifference(await host(actual), ref) / scale;
}

interface Fixture {
  images: tf.Tensor2D;
  labels: tf.Tensor1D;
  random: Random;
}

function indexFor(random: Random, rows: number, range: number): Int32Array {
  return Int32Array.from({ length: rows * B }, () => random.nextInt(range));
}

function imagesInput(f: Fixture, rows = R): LayerInput {
  return { kind: 'images', images: f.images, index: indexFor(f.random, rows, IMAGES), batch: B };
}

function noiseInput(f: Fixture, noise: NoiseKind, rows = R): LayerInput {
  return {
    kind: 'noise',
    noise,
    seed: 0x9e3779b9,
    models: Int32Array.from({ length: rows }, (_, r) => 3 * r + 1),
    index: indexFor(f.random, rows, 5000),
    batch: B,
  };
}

function gaussian(random: Random, shape: number[], std: number): tf.Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  random.fillGaussian(values, 0, std);
  return tf.tensor(values, shape);
}

describe.skipIf(missing !== null)('WebGPU programs against stock tfjs ops', () => {
  let gpu: WebGpuKernels;
  let stock: StockKernels;
  let f: Fixture;

  beforeAll(async () => {
    const choice = await selectBackend(['webgpu']);
    expect(choice.name).toBe('webgpu');
    gpu = new WebGpuKernels();
    stock = new StockKernels();
    const random = new Random(11);
    const pixels = new Float32Array(IMAGES * 784);
    random.fillUniform(pixels, -1, 1);
    f = {
      images: tf.tensor2d(pixels, [IMAGES, 784]),
      labels: tf.tensor1d(
        Int32Array.from({ length: IMAGES }, () => random.nextInt(10)),
        'int32',
      ),
      random,
    };
  });

  afterAll(() => {
    if (f) tf.dispose([f.images, f.labels]);
  });

  const inputs: Array<[string, () => LayerInput]> = [
    ['tensor', () => ({ kind: 'tensor', x: gaussian(f.random, [R, B, 784], 1) as tf.Tensor3D })],
    ['images', () => imagesInput(f)],
    ['noise (uniform)', () => noiseInput(f, 'uniform')],
    ['noise (gaussian)', () => noiseInput(f, 'gaussian')],
  ];

  for (const [name, make] of inputs) {
    it(`forward on ${name} input matches (both depths)`, async () => {
      for (const sizes of [DEEP, SHALLOW]) {
        const before = tf.memory().numTensors;
        const stack = stackOf(sizes, [0, 1, 2]);
        const input = make();
        const expected = tf.tidy(() => stock.forward(stack, input));
        const actual = gpu.forward(stack, input);
        expect(actual.map((h) => h.shape)).toEqual(expected.map((h) => h.shape));
        for (let layer = 0; layer < actual.length; layer++) {
          expect(await difference(actual[layer], expected[layer]), `${sizes} layer ${layer}`).toBeLessThanOrEqual(1e-4);
        }
        tf.dispose([...actual, ...expected, stack.state]);
        if (input.kind === 'tensor') input.x.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    });
  }

  it('a model gets bitwise the same results in a stack of 1 and of 3 (forward, parameter gradient)', async () => {
    const one = stackOf(DEEP, [1]);
    const three = stackOf(DEEP, [0, 1, 2]);
    const input3 = noiseInput(f, 'uniform') as Extract<LayerInput, { kind: 'noise' }>;
    const input1: LayerInput = { ...input3, models: input3.models.slice(1, 2), index: input3.index.slice(B, 2 * B) };
    const dz3 = gaussian(f.random, [R, B, 13], 0.05) as tf.Tensor3D;
    const dz1 = tf.slice(dz3, [1, 0, 0], [1, -1, -1]) as tf.Tensor3D;
    const h3 = gpu.forward(three, input3);
    const h1 = gpu.forward(one, input1);
    for (let layer = 0; layer < h3.length; layer++) {
      const width = h3[layer].shape[2];
      const row = (await host(h3[layer])).subarray(B * width, 2 * B * width);
      expect(sameBits(row, await host(h1[layer])), `layer ${layer}`).toBe(true);
    }
    const g3 = gpu.parameterGradient(three, input3, h3, dz3);
    const g1 = gpu.parameterGradient(one, input1, h1, dz1);
    const P = three.layout.perModel;
    expect(sameBits((await host(g3)).subarray(P, 2 * P), await host(g1))).toBe(true);
    tf.dispose([...h3, ...h1, g3, g1, dz3, dz1, one.state, three.state]);
  });

  describe('lossGradient', () => {
    const C = 13;
    const cases: Array<[string, (logits: tf.Tensor3D, teacher: tf.Tensor3D) => LossTarget, boolean[]]> = [
      [
        'labels',
        () => ({ kind: 'labels', labels: f.labels, index: indexFor(f.random, R, IMAGES), batch: B }),
        [false, false, false],
      ],
      [
        'distill kl, mixed auxOnly',
        (_, teacher) => ({ kind: 'distill', teacher, auxOnly: [true, false, true], loss: 'kl' }),
        [true, false, true],
      ],
      [
        'distill kl, all columns',
        (_, teacher) => ({ kind: 'distill', teacher, auxOnly: [false, false, false], loss: 'kl' }),
        [false, false, false],
      ],
      [
        'distill mse, mixed auxOnly',
        (_, teacher) => ({ kind: 'distill', teacher, auxOnly: [false, true, true], loss: 'mse' }),
        [false, true, true],
      ],
    ];
    for (const [name, target, auxOnly] of cases) {
      it(`${name}: gradient and loss match`, async () => {
        const before = tf.memory().numTensors;
        const logits = gaussian(f.random, [R, B, C], 3) as tf.Tensor3D;
        const teacher = gaussian(f.random, [R, B, C], 3) as tf.Tensor3D;
        const t = target(logits, teacher);
        const expected = stock.lossGradient(logits, t);
        const actual = gpu.lossGradient(logits, t);
        expect(actual.loss.shape).toEqual([R]);
        expect(await difference(actual.gradient, expected.gradient)).toBeLessThanOrEqual(1e-4);
        expect(await difference(actual.loss, expected.loss)).toBeLessThanOrEqual(1e-4);
        const gradient = await host(actual.gradient);
        const label = t.kind === 'labels';
        for (let r = 0; r < R; r++) {
          for (let b = 0; b < B; b++) {
            const at = (r * B + b) * C;
            // Teacher: auxiliary columns exactly zero; aux-only students: class columns exactly zero.
            const zero = label
              ? gradient.subarray(at + 10, at + C)
              : auxOnly[r]
                ? gradient.subarray(at, at + 10)
                : new Float32Array(0);
            expect(zero.every((v) => v === 0)).toBe(true);
          }
        }
        tf.dispose([logits, teacher, actual.gradient, actual.loss, expected.gradient, expected.loss]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });

  for (const [name, make] of inputs) {
    it(`parameterGradient on ${name} input matches (both depths)`, async () => {
      for (const sizes of [DEEP, SHALLOW]) {
        const before = tf.memory().numTensors;
        const stack = stackOf(sizes, [3, 4, 5]);
        const input = make();
        const activations = tf.tidy(() => stock.forward(stack, input));
        const dz = gaussian(f.random, [R, B, sizes[sizes.length - 1]], 0.05) as tf.Tensor3D;
        const expected = tf.tidy(() => stock.parameterGradient(stack, input, activations, dz));
        const actual = gpu.parameterGradient(stack, input, activations, dz);
        expect(actual.shape).toEqual([R, stack.layout.perModel]);
        expect(await relativeDifference(actual, expected), `${sizes}`).toBeLessThanOrEqual(1e-4);
        tf.dispose([...activations, dz, expected, actual, stack.state]);
        if (input.kind === 'tensor') input.x.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    });
  }

  it('wide layers (4×4 outputs per invocation) and another batch size: forward and parameterGradient match', async () => {
    const sizes = [784, 64, 13];
    const rows = 2;
    const batch = 50;
    const before = tf.memory().numTensors;
    const stack = stackOf(sizes, [6, 7]);
    const input: LayerInput = {
      kind: 'images',
      images: f.images,
      index: Int32Array.from({ length: rows * batch }, () => f.random.nextInt(IMAGES)),
      batch,
    };
    const expected = tf.tidy(() => stock.forward(stack, input));
    const actual = gpu.forward(stack, input);
    for (let layer = 0; layer < actual.length; layer++) {
      expect(await difference(actual[layer], expected[layer]), `layer ${layer}`).toBeLessThanOrEqual(1e-4);
    }
    const dz = gaussian(f.random, [rows, batch, 13], 0.05) as tf.Tensor3D;
    const expectedGradient = tf.tidy(() => stock.parameterGradient(stack, input, expected, dz));
    const actualGradient = gpu.parameterGradient(stack, input, expected, dz);
    expect(await relativeDifference(actualGradient, expectedGradient)).toBeLessThanOrEqual(1e-4);
    tf.dispose([...actual, ...expected, dz, expectedGradient, actualGradient, stack.state]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('adam: state after 3 steps matches, updated in place', async () => {
    const reference = stackOf(DEEP, [0, 1, 2]);
    const subject = stackOf(DEEP, [0, 1, 2]);
    const state = subject.state;
    const settings = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    for (let step = 1; step <= 3; step++) {
      const gradient = gaussian(f.random, [R, reference.layout.perModel], 0.1) as tf.Tensor2D;
      stock.adam(reference, gradient, { ...settings, step });
      // A read caches values on the CPU; the in-place update must not leave them stale.
      await subject.state.data();
      gpu.adam(subject, gradient, { ...settings, step });
      gradient.dispose();
    }
    expect(subject.state).toBe(state);
    expect(await difference(subject.state, reference.state)).toBeLessThanOrEqual(1e-5);
    // The parameters moved far more than the tolerance.
    const start = stackOf(DEEP, [0, 1, 2]);
    expect(await difference(subject.state, start.state)).toBeGreaterThan(1e-3);
    tf.dispose([reference.state, subject.state, start.state]);
  });

  /**
   * The quick preset's learning rate. Adam's step is scale-free, so a parameter whose gradient is
   * a near-cancelling sum (|g| ~ 1e-7, float32 noise ~ 1e-9) moves by ~lr either way; with 1e-2
   * that alone puts the two implementations ~2e-4 apart after 3 distillation steps.
   */
  const LEARNING_RATE = 1e-3;

  async function compareSteps(sizes: number[], loss: DistillLoss) {
    const run = async (kernels: StepKernels) => {
      const random = new Random(77);
      const fx: Fixture = { ...f, random };
      const teacher = stackOf(sizes, [0, 1, 2]);
      const students = stackOf(sizes, [3, 4, 5]);
      const before = tf.memory().numTensors;
      const losses: number[][] = [];
      for (let i = 0; i < 3; i++) {
        const input = imagesInput(fx) as Extract<LayerInput, { kind: 'images' }>;
        const l = packedTeacherStep({
          kernels,
          teacher,
          input,
          labels: { kind: 'labels', labels: f.labels, index: input.index, batch: B },
          learningRate: LEARNING_RATE,
        });
        losses.push(Array.from(await l.data()));
        l.dispose();
      }
      const frozen = teacher.gather([0, 1, 2]);
      for (let i = 0; i < 3; i++) {
        const l = packedDistillStep({
          kernels,
          students,
          teachers: frozen,
          input: noiseInput(fx, 'uniform'),
          auxOnly: [true, false, true],
          loss,
          learningRate: LEARNING_RATE,
        });
        losses.push(Array.from(await l.data()));
        l.dispose();
      }
      frozen.dispose();
      const leaked = tf.memory().numTensors - before;
      const teacherParameters = teacher.parameters();
      const studentParameters = students.parameters();
      const parameters = [await host(teacherParameters), await host(studentParameters)];
      tf.dispose([teacherParameters, studentParameters, teacher.state, students.state]);
      return { losses, parameters, leaked };
    };
    const expected = await run(stock);
    const actual = await run(gpu);
    expect(actual.leaked).toBe(0);
    actual.losses.forEach((step, i) =>
      expect(maxAbsDifference(step, expected.losses[i]), `loss at step ${i}`).toBeLessThanOrEqual(1e-4),
    );
    expect(maxAbsDifference(actual.parameters[0], expected.parameters[0]), 'teacher parameters').toBeLessThanOrEqual(
      1e-4,
    );
    expect(maxAbsDifference(actual.parameters[1], expected.parameters[1]), 'student parameters').toBeLessThanOrEqual(
      1e-4,
    );
    // Training moved the parameters far more than the tolerance (row 0's last weights).
    const layer = sizes.length - 2;
    const start = hostModels(sizes, [0])[0].weights[layer];
    const offset = paramLayout(sizes).weightOffset[layer];
    expect(maxAbsDifference(actual.parameters[0].subarray(offset, offset + start.length), start)).toBeGreaterThan(1e-3);
  }

  it('3 teacher and 3 distillation (kl) steps agree: losses and parameters (2 hidden layers)', async () => {
    await compareSteps(DEEP, 'kl');
  });

  it('3 teacher and 3 distillation (mse) steps agree: losses and parameters (1 hidden layer)', async () => {
    await compareSteps(SHALLOW, 'mse');
  });

  it('mitigated distillation steps and the alignment probe agree (losses, parameters, the three measurements)', async () => {
    const run = async (kernels: StepKernels) => {
      const fx: Fixture = { ...f, random: new Random(78) };
      const teachers = new TensorGroup([stackOf(SHALLOW, [0, 1, 2], false)], 'batched', kernels);
      const students = new TensorGroup([stackOf(SHALLOW, [3, 4, 5])], 'batched', kernels);
      const before = tf.memory().numTensors;
      const probe = students.probe(teachers, hostModels(SHALLOW, [7, 8, 9]));
      const auxOnly = [true, false, true];
      const traitBatch = () => {
        const input = imagesInput(fx) as Extract<LayerInput, { kind: 'images' }>;
        return { input, labels: { kind: 'labels' as const, labels: f.labels, index: input.index, batch: B } };
      };
      const losses: number[][] = [];
      for (let i = 0; i < 3; i++) {
        const l = packedDistillStep({
          kernels,
          students: students.parts[0],
          teachers: teachers.parts[0],
          input: noiseInput(fx, 'uniform'),
          auxOnly,
          loss: 'kl',
          learningRate: LEARNING_RATE,
          trait: traitBatch(),
        });
        losses.push(Array.from(await l.data()));
        l.dispose();
      }
      const measured = await probe.measure(teachers, {
        noise: noiseInput(fx, 'gaussian'),
        trait: traitBatch(),
        auxOnly,
        loss: 'kl',
      });
      probe.dispose();
      const leaked = tf.memory().numTensors - before;
      const parameters = students.parts[0].parameters();
      const after = await host(parameters);
      tf.dispose(parameters);
      students.dispose();
      teachers.dispose();
      return { losses, after, measured, leaked };
    };
    const expected = await run(stock);
    const actual = await run(gpu);
    expect(actual.leaked).toBe(0);
    actual.losses.forEach((step, i) =>
      expect(maxAbsDifference(step, expected.losses[i]), `loss at step ${i}`).toBeLessThanOrEqual(1e-4),
    );
    expect(maxAbsDifference(actual.after, expected.after), 'student parameters').toBeLessThanOrEqual(1e-4);
    expect(maxAbsDifference(actual.measured.updateCosine, expected.measured.updateCosine)).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDifference(actual.measured.gradientCosine, expected.measured.gradientCosine)).toBeLessThanOrEqual(
      1e-4,
    );
    expect(maxAbsDifference(actual.measured.distance, expected.measured.distance)).toBeLessThanOrEqual(1e-3);
  });

  it('a teacher step takes ≤ 12 dispatches and a distillation step ≤ 16, whatever R', async () => {
    const backend = tf.backend() as unknown as { recordAndSubmit: (...args: unknown[]) => unknown };
    const original = backend.recordAndSubmit;
    let count = 0;
    backend.recordAndSubmit = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
    try {
      for (const rows of [1, 5]) {
        const seeds = Array.from({ length: rows }, (_, i) => i);
        const teacher = stackOf(DEEP, seeds);
        const students = stackOf(
          DEEP,
          seeds.map((s) => s + 10),
        );
        const frozen = teacher.gather(seeds);
        const input = imagesInput(f, rows) as Extract<LayerInput, { kind: 'images' }>;
        count = 0;
        const l1 = packedTeacherStep({
          kernels: gpu,
          teacher,
          input,
          labels: { kind: 'labels', labels: f.labels, index: input.index, batch: B },
          learningRate: 1e-3,
        });
        const teacherDispatches = count;
        count = 0;
        const auxOnly = seeds.map((s) => s % 2 === 0);
        const l2 = packedDistillStep({
          kernels: gpu,
          students,
          teachers: frozen,
          input: noiseInput(f, 'gaussian', rows),
          auxOnly,
          loss: 'kl',
          learningRate: 1e-3,
        });
        const distillDispatches = count;
        await l1.data();
        await l2.data();
        console.log(`R=${rows}: teacher step ${teacherDispatches} dispatches, distillation step ${distillDispatches}`);
        expect(teacherDispatches).toBeLessThanOrEqual(12);
        expect(distillDispatches).toBeLessThanOrEqual(16);
        // 3 layers: forward 3, loss 2, parameter gradient 3 + 2, Adam 1.
        expect(teacherDispatches).toBe(11);
        expect(distillDispatches).toBe(14);
        tf.dispose([l1, l2, teacher.state, students.state, frozen.state]);
      }
    } finally {
      backend.recordAndSubmit = original;
    }
  });
});
