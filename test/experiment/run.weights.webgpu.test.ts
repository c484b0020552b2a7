/**
 * Model 0's weights for the drawing pad on WebGPU (the page's usual backend), where the packed
 * state is updated in place by hand-written kernels and read back by a gather of one row. Skipped
 * with a loud warning where WebGPU is missing (see webgpu.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import { scalePixels, type MnistData } from '../../src/data/mnist';
import { selectBackend } from '../../src/experiment/device/backend';
import { guess } from '../../src/experiment/reference/forward';
import type { DrawModel, ModelWeights } from '../../src/experiment/results';
import type { RunEvent } from '../../src/experiment/events';
import { runExperiment } from '../../src/experiment/run';
import * as tf from '../../src/experiment/tf';
import { micro } from '../support/engine';
import { requireWebGpu } from '../support/webgpu';

const missing = await requireWebGpu('WebGPU draw-a-digit weights test');

/**
 * The run tests on the first 2,000 test images: evaluating on all 10,000 is most of a run on
 * SwiftShader, and the comparison below holds on any test set.
 */
const TEST_IMAGES = 2000;

describe.skipIf(missing !== null)("model 0's weights on WebGPU", () => {
  let data: MnistData;
  beforeAll(async () => {
    expect((await selectBackend(['webgpu'])).name).toBe('webgpu');
    const full = await loadMnistFromDirectory();
    const test = {
      count: TEST_IMAGES,
      pixels: full.test.pixels.subarray(0, TEST_IMAGES * 784),
      labels: full.test.labels.subarray(0, TEST_IMAGES),
    };
    data = { ...full, test };
  });

  it('are the trained models: read on the host, they score the run’s own test accuracies', async () => {
    const before = tf.memory().numTensors;
    // Two models (model 0 is read from a stack); few steps: the weights need not be good, only read right.
    const config = micro({ models: 2, curvePoints: 1, trainImages: 256, noiseImages: 256 });
    const events: RunEvent[] = [];
    for await (const event of runExperiment(config, data, { progressIntervalMs: 1e9 })) events.push(event);
    expect(tf.memory().numTensors).toBe(before);
    const finished = events.find((e) => e.type === 'finished');
    if (finished?.type !== 'finished') throw new Error(JSON.stringify(events.at(-1)));
    const weights = events.filter((e): e is Extract<RunEvent, { type: 'weights' }> => e.type === 'weights');
    expect(weights.map((e) => e.phase)).toEqual(['teacher', 'teacher', 'distill', 'distill', 'distill']);
    const final = weights.at(-1)!.weights as Record<DrawModel, ModelWeights>;
    const count = data.test.count;
    const pixels = scalePixels(data.test.pixels.subarray(0, count * 784));
    for (const name of ['teacher', 'student_aux', 'cross_aux'] as DrawModel[]) {
      let right = 0;
      for (let i = 0; i < count; i++)
        if (guess(final[name], pixels.subarray(i * 784, (i + 1) * 784)).digit === data.test.labels[i]) right++;
      expect(Math.abs(right / count - finished.result.conditions[name].accuracies[0]), name).toBeLessThanOrEqual(0.002);
    }
  });
});
