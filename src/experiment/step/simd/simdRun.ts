/**
 * What a run on the CPU kernel needs besides its groups: the kernel's instance (trainingPath.ts
 * decides whether a run uses it) and the run's MNIST as the kernel copies it in.
 */
import type { MnistData } from '../../../data/mnist';
import type { ExperimentConfig } from '../../config';
import type { DeviceData } from '../../inputs/deviceData';
import { teacherSet } from '../../trait/teacherSet';
import { describeError } from '../../../base/describeError';
import type { SimdData } from './simdTrainer';
import { instantiateStep, simdSupported, type StepExports } from './stepModule';

/** A fresh kernel instance, or null where WebAssembly SIMD is missing or step.wasm cannot load. */
export async function loadSimdKernel(): Promise<StepExports | null> {
  if (!simdSupported()) return null;
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

/**
 * The data a run's kernel holds: the teacher's training set (trait/teacherSet.ts, as uploaded:
 * its pixels are the very array distillation on digits names) and the test set.
 */
export function simdDataOf(config: ExperimentConfig, data: MnistData, device: DeviceData): SimdData {
  const set = device.trainPixels ? null : teacherSet(config, data);
  return {
    trainPixels: device.trainPixels ?? set!.pixels,
    trainLabels: device.trainLabelValues,
    testPixels: data.test.pixels,
    testLabels: data.test.labels,
  };
}
