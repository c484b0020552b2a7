/**
 * The known-answer check on WebGPU (Dawn in Node; SwiftShader without a GPU): the WebGPU
 * training path (the WGSL programs) passes it, so selectBackend keeps WebGPU on a healthy device. Skipped with a loud
 * warning where WebGPU is missing (see webgpu.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/experiment/device/backend';
import { knownAnswerCheck } from '../../../src/experiment/device/knownAnswer';
import { openPath } from '../../../src/experiment/step/trainingPath';
import * as tf from '../../../src/experiment/tf';
import { requireWebGpu } from '../../support/webgpu';

const missing = await requireWebGpu('WebGPU known-answer check');

describe.skipIf(missing !== null)('the known-answer check on WebGPU', () => {
  it('passes the WebGPU kernels, and selectBackend keeps WebGPU with no fallback', async () => {
    const choice = await selectBackend(['webgpu', 'wasm'], { verify: true });
    expect(choice.fallbacks).toEqual([]);
    expect(choice.name).toBe('webgpu');
    const before = tf.memory().numTensors;
    const path = (await openPath('webgpu', 'webgpu'))!;
    expect(path.name).toBe('webgpu');
    const result = await knownAnswerCheck(path); // programs compiled by the check in selectBackend
    path.dispose();
    console.info(
      `known-answer check on webgpu (${choice.adapter}): ${result.milliseconds.toFixed(0)} ms warm; loss error ${result.lossError.toExponential(1)}, parameter error ${result.parameterError.toExponential(1)}`,
    );
    expect([result.ok, result.reason]).toEqual([true, undefined]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
