/**
 * Liminal training on the WebGPU programs (WebGpuKernels through step.ts's penalty) against the
 * stock-op step on the same webgpu backend, which step.liminal.test.ts holds to the autodiff
 * reference: same losses and parameters with the penalty and after its window, no leaked tensors.
 * Skipped with a loud warning where WebGPU is missing (required under CI), as webgpuKernels.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/experiment/device/backend';
import type { DistillLoss } from '../../../src/experiment/config';
import { initialParameters, type HostParameters } from '../../../src/experiment/model/mlp';
import { Random } from '../../../src/experiment/model/random';
import type { LayerInput, StepKernels } from '../../../src/experiment/step/kernels';
import { PackedStack } from '../../../src/experiment/step/layout';
import { packedDistillStep } from '../../../src/experiment/step/step';
import { StockKernels } from '../../../src/experiment/step/stockKernels';
import { WebGpuKernels } from '../../../src/experiment/step/webgpuKernels';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference } from '../../support/engine';
import { requireWebGpu } from '../../support/webgpu';

const missing = await requireWebGpu('WebGPU liminal training tests');

const R = 3;
const B = 37;
const SIZES = [784, 24, 13];
/** webgpuKernels.test.ts's whole-step settings. */
const LEARNING_RATE = 1e-3;
const TOLERANCE = 1e-4;
const STEPS = 4;
const WINDOW = 2;

function hostModels(seeds: number[]): HostParameters[] {
  return seeds.map((seed) => {
    const model = initialParameters(SIZES, 1, seed);
    const random = new Random(100 + seed);
    model.biases.forEach((b) => random.fillGaussian(b, 0, 0.1));
    return model;
  });
}

const noiseAt = (step: number): LayerInput => ({
  kind: 'noise',
  noise: 'uniform',
  seed: 0x9e3779b9,
  models: Int32Array.from({ length: R }, (_, r) => 3 * r + 1),
  index: Int32Array.from({ length: R * B }, (_, i) => (53 * i + 7 * step) % 5000),
  batch: B,
});

describe.skipIf(missing !== null)('liminal training on the WebGPU programs against stock tfjs ops', () => {
  let gpu: WebGpuKernels;
  let stock: StockKernels;

  beforeAll(async () => {
    const choice = await selectBackend(['webgpu']);
    expect(choice.name).toBe('webgpu');
    gpu = new WebGpuKernels();
    stock = new StockKernels();
  });
  afterAll(() => gpu?.dispose());

  /** STEPS steps, the penalty (weight) on the first WINDOW; losses, parameters after, tensors leaked. */
  async function run(kernels: StepKernels, loss: DistillLoss, weight: number) {
    const teachers = PackedStack.fromHost(SIZES, hostModels([0, 1, 2]), false);
    const students = PackedStack.fromHost(SIZES, hostModels([3, 4, 5]), true);
    const [a, b] = hostModels([6, 7]);
    const base = PackedStack.fromHost(SIZES, [a, a, b], false);
    const before = tf.memory().numTensors;
    const losses: number[][] = [];
    for (let step = 0; step < STEPS; step++) {
      const l = packedDistillStep({
        kernels,
        students,
        teachers,
        input: noiseAt(step),
        auxOnly: [true, false, true],
        loss,
        learningRate: LEARNING_RATE,
        liminal: step < WINDOW ? { base, weight } : undefined,
      });
      losses.push(Array.from(await l.data()));
      l.dispose();
    }
    const leaked = tf.memory().numTensors - before;
    const parameters = students.parameters();
    const after = Float32Array.from(await parameters.data());
    tf.dispose([parameters]);
    [teachers, students, base].forEach((stack) => stack.dispose());
    return { losses, after, leaked };
  }

  for (const loss of ['kl', 'mse'] as const) {
    it(`${loss}: ${WINDOW} steps with the penalty then ${STEPS - WINDOW} without agree (losses, parameters)`, async () => {
      const expected = await run(stock, loss, 2);
      const actual = await run(gpu, loss, 2);
      expect(actual.leaked).toBe(0);
      actual.losses.forEach((step, i) =>
        expect(maxAbsDifference(step, expected.losses[i]), `loss at step ${i}`).toBeLessThanOrEqual(TOLERANCE),
      );
      expect(maxAbsDifference(actual.after, expected.after), 'student parameters').toBeLessThanOrEqual(TOLERANCE);
      // The penalty mattered: without it the parameters end far from these.
      const plain = await run(gpu, loss, 0);
      expect(maxAbsDifference(plain.after, actual.after)).toBeGreaterThan(10 * TOLERANCE);
    });
  }
});
