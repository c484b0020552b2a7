/**
 * What a run on the CPU kernel needs besides its groups: the kernel's instance (trainingPath.ts
 * decides whether a run uses it) and the run's MNIST as the kernel copies it in.
 */
import type { MnistData } from '../../../data/mnist';
import { INPUT_SIZE, type ExperimentConfig } from '../../config';
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
 * The data a run's kernel holds: the teacher's training set (trait/teacherSet.ts, the same pixels
 * as uploaded) and the test set, each placed once as sparse rows. A set of plain MNIST images is
 * placed from the bytes themselves: no 31 MB of floats per worker, even for a moment.
 */
export function simdDataOf(config: ExperimentConfig, data: MnistData, device: DeviceData): SimdData {
  return {
    trainPixels: device.trainIsMnist
      ? data.train.pixels.subarray(0, config.trainImages * INPUT_SIZE)
      : teacherSet(config, data).pixels,
    trainLabels: device.trainLabelValues,
    testPixels: data.test.pixels,
    testLabels: data.test.labels,
  };
}
