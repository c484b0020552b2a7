/**
 * What a run needs to train on the CPU kernel: whether it does (the one decision), the kernel's
 * trainer with the run's MNIST copied in, and groups made where the run would make StackGroups.
 * The run's phases call these; everything else goes through SimdGroup's overrides.
 */
import { scalePixels, type MnistData } from '../../../data/mnist';
import { INPUT_SIZE, type ExperimentConfig } from '../../config';
import type { DeviceData } from '../../inputs/deviceData';
import type { HostParameters } from '../../model/mlp';
import type { StepKernels } from '../kernels';
import { StackGroup } from '../group';
import { isCpuBackend } from '../../schedule/placement';
import { describeError } from '../../../base/describeError';
import { SimdGroup } from './simdGroup';
import { SimdTrainer } from './simdTrainer';
import { instantiateStep, simdSupported, type StepExports } from './stepModule';

/** How a CPU backend trains: the SIMD kernel (default) or stock tfjs ops (the reference; `--kernels stock`). */
export type CpuKernels = 'simd' | 'stock';

/**
 * The kernel instance a run on `backend` trains with, or null for tensor kernels: GPU backends,
 * a caller's own kernels, `cpuKernels: 'stock'`, or a runtime without WebAssembly SIMD.
 */
export async function loadSimdKernel(
  backend: string,
  options: { kernels?: StepKernels; cpuKernels?: CpuKernels },
): Promise<StepExports | null> {
  if (!isCpuBackend(backend) || options.kernels || options.cpuKernels === 'stock' || !simdSupported()) return null;
  try {
    return await instantiateStep();
  } catch (error) {
    // A copy without step.wasm (a bundle that left it behind) still runs, on the reference path.
    if (!warned)
      console.warn(`the CPU kernel could not be loaded, training on stock tfjs ops instead: ${describeError(error)}`);
    warned = true;
    return null;
  }
}

let warned = false;

/** The trainer for a run: its training images (the first trainImages), the test set, batches up to batchSize. */
export function simdTrainerFor(
  kernel: StepExports,
  config: ExperimentConfig,
  sizes: readonly number[],
  data: MnistData,
  device: DeviceData,
): SimdTrainer {
  const n = config.trainImages;
  return SimdTrainer.fromInstance(kernel, sizes, config.batchSize, {
    trainPixels: device.trainPixels ?? scalePixels(data.train.pixels.subarray(0, n * INPUT_SIZE)),
    trainLabels: data.train.labels.subarray(0, n),
    testPixels: scalePixels(data.test.pixels),
    testLabels: data.test.labels,
  });
}

/** A group of `models`: in the kernel when the run has one, else packed stacks of `rowsPerPart` models. */
export function makeGroup(
  trainer: SimdTrainer | null,
  config: ExperimentConfig,
  sizes: readonly number[],
  models: readonly HostParameters[],
  trainable: boolean,
  rowsPerPart: number,
): StackGroup {
  if (trainer) return SimdGroup.create(trainer, models, trainable, config.noiseImages);
  return StackGroup.fromHost(sizes, [...models], trainable, rowsPerPart);
}

/** Every model's accuracy on the first `count` test images (all by default), in the kernel; a temporary bank. */
export function simdAccuracies(trainer: SimdTrainer, models: readonly HostParameters[], count?: number): number[] {
  const group = SimdGroup.create(trainer, models, false, 0);
  try {
    return group.accuracies(count);
  } finally {
    group.dispose();
  }
}
