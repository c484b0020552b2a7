/**
 * The one decision of how a run trains: the SIMD kernel on CPU backends unless asked for stock
 * ops or given kernels; stock ops on webgl; and a path the known-answer check found wrong is
 * passed over, falling back to stock ops.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { StockKernels } from '../../../src/experiment/step/stockKernels';
import {
  chooseTrainingPath,
  groupMaker,
  markPathWrong,
  pathCandidates,
} from '../../../src/experiment/step/trainingPath';
import { layerSizes, initialParameters } from '../../../src/experiment/model/mlp';
import * as tf from '../../../src/experiment/tf';
import { useWasm } from '../../support/engine';

beforeAll(useWasm);

describe('chooseTrainingPath', () => {
  it('names the candidates of each backend, best first', () => {
    expect(pathCandidates('wasm')).toEqual(['simd', 'stock']);
    expect(pathCandidates('cpu')).toEqual(['simd', 'stock']);
    expect(pathCandidates('webgpu')).toEqual(['webgpu']);
    expect(pathCandidates('webgl')).toEqual(['stock']);
  });

  it('trains on the SIMD kernel on wasm, in a group that lives in the kernel', async () => {
    const path = await chooseTrainingPath('wasm');
    expect([path.name, path.simd !== null]).toEqual(['simd', true]);
    const sizes = layerSizes([8], 2);
    const maker = groupMaker(path, {
      sizes,
      batchSize: 4,
      noiseSetSize: 4,
      simdData: () => ({
        trainPixels: new Float32Array(4 * 784),
        trainLabels: new Int32Array(4),
        testPixels: new Float32Array(4 * 784),
        testLabels: new Int32Array(4),
      }),
      tests: null,
    });
    const before = tf.memory().numTensors;
    const group = maker.make([initialParameters(sizes, 0, 0)], true);
    expect(await group.accuracies()).toEqual([expect.any(Number)]);
    expect(tf.memory().numTensors).toBe(before); // no tensors: the models are in the kernel's memory
    group.dispose();
    maker.dispose();
    path.dispose();
  });

  it('takes stock ops when asked, or when given kernels (which it leaves to their owner)', async () => {
    const asked = await chooseTrainingPath('wasm', { cpuKernels: 'stock', mode: 'batched' });
    expect([asked.name, asked.mode, asked.simd]).toEqual(['stock', 'batched', null]);
    asked.dispose();
    const kernels = new StockKernels();
    const given = await chooseTrainingPath('wasm', { kernels });
    expect([given.name, given.mode, given.kernels === kernels]).toEqual(['stock', 'per-model', true]);
    given.dispose();
    expect(() => kernels.dispose()).not.toThrow();
  });

  it('trains stock ops in one batched stack on webgl', async () => {
    const path = await chooseTrainingPath('webgl');
    expect([path.name, path.mode]).toEqual(['stock', 'batched']);
    path.dispose();
  });

  it('passes over a path the known-answer check found wrong', async () => {
    markPathWrong('cpu', 'simd', 'wrong numbers');
    const path = await chooseTrainingPath('cpu', { mode: 'per-model' });
    expect(path.name).toBe('stock');
    path.dispose();
    const wasm = await chooseTrainingPath('wasm');
    expect(wasm.name).toBe('simd'); // only that backend's path is distrusted
    wasm.dispose();
  });
});
