/** Shared set-up for engine tests: the wasm backend, small configs, and host-side comparisons. */
import { selectBackend } from '../../src/experiment/device/backend';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import * as tf from '../../src/experiment/tf';

export async function useWasm(): Promise<void> {
  const choice = await selectBackend(['wasm']);
  if (choice.name !== 'wasm') throw new Error('wasm backend did not start');
}

/** Smaller than `tiny`: for tests that check plumbing, not the effect. */
export function micro(overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    ...preset('tiny'),
    models: 2,
    hidden: [32, 32],
    trainImages: 600,
    noiseImages: 512,
    batchSize: 128,
    studentEpochs: 1,
    curvePoints: 2,
    curveTestImages: 200,
    ...overrides,
  };
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

export async function values(tensor: tf.Tensor): Promise<Float32Array> {
  return (await tensor.data()) as Float32Array;
}
