/**
 * A few training steps on WebGPU (Dawn in Node; SwiftShader when there is no GPU) agree with wasm.
 * Needs the Vulkan loader and SwiftShader's ICD, which .ci/run installs (libvulkan1, chromium):
 * under CI the test is required; elsewhere it is skipped with a loud warning when WebGPU is missing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../../src/experiment/device/backend';
import {
  initialParameters,
  layerSizes,
  Stack,
  type HostParameters,
  type StackMode,
} from '../../../src/experiment/model/mlp';
import { Random } from '../../../src/experiment/model/random';
import { createOptimizer, distillStep, teacherStep, type DistillTarget } from '../../../src/experiment/reference/train';
import * as tf from '../../../src/experiment/tf';
import { maxAbsDifference } from '../../support/engine';
import { requireWebGpu } from '../../support/webgpu';

const sizes = layerSizes([48, 32], 3);
const K = 2;
const B = 64;
const STEPS = 3;

const missing = await requireWebGpu('WebGPU tests');

interface Trace {
  losses: number[][];
  after: HostParameters[];
}

/** STEPS teacher steps then STEPS mixed distillation steps, from fixed inits and inputs. */
async function train(mode: StackMode): Promise<Trace> {
  const random = new Random(3);
  const images = new Float32Array(K * B * 784);
  random.fillUniform(images, -1, 1);
  const labels = Int32Array.from({ length: K * B }, () => random.nextInt(10));
  const x = tf.tensor3d(images, [K, B, 784]);
  const y = tf.tensor2d(labels, [K, B], 'int32');
  const stack = Stack.fromHost(
    sizes,
    [0, 1].map((i) => initialParameters(sizes, 1, i)),
    true,
  );
  const teachers = Stack.fromHost(
    sizes,
    [5, 6].map((i) => initialParameters(sizes, 1, i)),
    false,
  );
  const targets: DistillTarget[] = ['aux', 'all'];
  const adamT = createOptimizer(1e-3);
  const adamS = createOptimizer(1e-3);
  const losses: number[][] = [];
  for (let i = 0; i < STEPS; i++) {
    const l = teacherStep(adamT, stack, x, y, mode);
    losses.push(Array.from(await l.data()));
    l.dispose();
  }
  for (let i = 0; i < STEPS; i++) {
    const l = distillStep(adamS, stack, teachers, x, targets, 'kl', mode);
    losses.push(Array.from(await l.data()));
    l.dispose();
  }
  const after = await stack.read();
  tf.dispose([x, y, ...stack.tensors(), ...teachers.tensors()]);
  adamT.dispose();
  adamS.dispose();
  return { losses, after };
}

describe.skipIf(missing !== null)('WebGPU (Dawn) against wasm', () => {
  let choice: BackendChoice;
  let wasm: Trace;
  beforeAll(async () => {
    await selectBackend(['wasm']);
    wasm = await train('per-model');
    choice = await selectBackend(['webgpu']);
  });

  it('runs on the webgpu backend, with a named adapter', () => {
    expect(choice.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(choice.adapter).toBeTruthy();
  });

  for (const mode of ['batched', 'per-model'] as const) {
    it(`${mode}: losses and parameters after ${STEPS} teacher and ${STEPS} distillation steps agree with wasm`, async () => {
      const before = tf.memory().numTensors;
      const gpu = await train(mode);
      expect(tf.memory().numTensors).toBe(before);
      gpu.losses.forEach((step, i) =>
        expect(maxAbsDifference(step, wasm.losses[i]), `loss at step ${i}`).toBeLessThan(1e-4),
      );
      gpu.after.forEach((model, m) =>
        model.weights.forEach((w, layer) =>
          expect(maxAbsDifference(w, wasm.after[m].weights[layer]), `model ${m} W${layer}`).toBeLessThan(1e-4),
        ),
      );
      // Training moved the weights far more than the tolerance.
      expect(maxAbsDifference(gpu.after[0].weights[2], initialParameters(sizes, 1, 0).weights[2])).toBeGreaterThan(
        1e-3,
      );
    });
  }
});
