/**
 * Trust, but verify the device: the known-answer check passes the real training paths (the SIMD
 * kernel and stock ops on wasm), fails paths made to return wrong numbers (zeros, a slightly wrong
 * optimizer, a throw, a SIMD kernel with a wrong loss), and selectBackend passes over a backend
 * that fails it, naming why, and the run finishes on the next one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../../src/data/loadNode';
import type { MnistData } from '../../../src/data/mnist';
import { selectBackend, type BackendName } from '../../../src/experiment/device/backend';
import { CPU_LIMITS, WASM_LIMITS } from '../../../src/experiment/schedule/chunks';
import { knownAnswerCheck } from '../../../src/experiment/device/knownAnswer';
import type { StepKernels } from '../../../src/experiment/step/kernels';
import { StockKernels } from '../../../src/experiment/step/stockKernels';
import { openPath, type TrainingPath } from '../../../src/experiment/step/trainingPath';
import type { RunEvent } from '../../../src/experiment/events';
import { runExperiment } from '../../../src/experiment/run';
import * as tf from '../../../src/experiment/tf';
import { micro, useWasm } from '../../support/engine';

/** Stock kernels with one method's answer spoilt. */
function tampered(spoil: 'zero logits' | 'adam step 1.5×' | 'throw'): StepKernels {
  const kernels = new StockKernels();
  if (spoil === 'zero logits') {
    const forward = kernels.forward.bind(kernels);
    kernels.forward = (stack, input) => {
      const outputs = forward(stack, input);
      outputs[outputs.length - 1] = tf.zerosLike(outputs[outputs.length - 1]);
      return outputs;
    };
  } else if (spoil === 'adam step 1.5×') {
    const adam = kernels.adam.bind(kernels);
    kernels.adam = (stack, gradient, settings) =>
      adam(stack, gradient, { ...settings, learningRate: settings.learningRate * 1.5 });
  } else {
    kernels.parameterGradient = () => {
      throw new Error('GPUValidationError: binding size exceeds the limit');
    };
  }
  return kernels;
}

/** Stock ops on wasm, on these kernels. */
const stockPath = async (kernels: StepKernels) => (await openPath('wasm', 'stock', { kernels }))!;

/** The SIMD kernel, with its cross-entropy's loss doubled (its gradients are right). */
async function tamperedSimd(): Promise<TrainingPath> {
  const path = (await openPath('wasm', 'simd'))!;
  const simd = path.simd!;
  return { ...path, simd: { ...simd, crossEntropy: (...args) => 2 * simd.crossEntropy(...args) } };
}

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

describe('the known-answer check', () => {
  it('passes the stock kernels on wasm well under a second, leaving no tensor', async () => {
    const before = tf.memory().numTensors;
    const cold = await knownAnswerCheck(await stockPath(new StockKernels())); // also computes the reference
    const warm = await knownAnswerCheck(await stockPath(new StockKernels()));
    console.info(
      `known-answer check on wasm: ${cold.milliseconds.toFixed(0)} ms cold (with the reference), ${warm.milliseconds.toFixed(0)} ms warm; ` +
        `loss error ${warm.lossError.toExponential(1)}, parameter error ${warm.parameterError.toExponential(1)}`,
    );
    expect([cold.ok, warm.ok, warm.reason]).toEqual([true, true, undefined]);
    expect(warm.lossError).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const spoil of ['zero logits', 'adam step 1.5×', 'throw'] as const) {
    it(`fails kernels that ${spoil === 'throw' ? 'throw' : `compute ${spoil}`}, saying why, leaving no tensor`, async () => {
      const before = tf.memory().numTensors;
      const result = await knownAnswerCheck(await stockPath(tampered(spoil)));
      expect(result.ok).toBe(false);
      expect(result.reason).toMatch(
        spoil === 'throw' ? /known-answer check failed: GPUValidationError/ : /wrong numbers in a known-answer check/,
      );
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('the known-answer check on the SIMD path', () => {
  it('passes the CPU kernel, the path runs on wasm train on', async () => {
    const path = (await openPath('wasm', 'simd'))!;
    const result = await knownAnswerCheck(path);
    path.dispose();
    expect([result.ok, result.reason]).toEqual([true, undefined]);
    expect(result.lossError).toBeLessThan(1e-5);
  });

  it('fails a CPU kernel whose loss is wrong, saying why', async () => {
    const path = await tamperedSimd();
    const result = await knownAnswerCheck(path);
    path.dispose();
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/wrong numbers in a known-answer check \(losses off by up to/);
  });
});

describe('choosing a backend', () => {
  it('passes over a backend whose kernels return wrong numbers, names why, and the run finishes on the next', async () => {
    const checked: BackendName[] = [];
    const choice = await selectBackend(['wasm', 'cpu'], {
      checkKernels: (name) => {
        checked.push(name);
        return name === 'wasm' ? tampered('zero logits') : new StockKernels();
      },
    });
    expect(checked).toEqual(['wasm', 'cpu']);
    expect(choice.name).toBe('cpu');
    expect(choice.limits).toEqual({ ...CPU_LIMITS, source: 'the cpu backend' });
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.fallbacks).toEqual([
      {
        backend: 'wasm',
        reason: expect.stringMatching(/^it computed wrong numbers in a known-answer check \(losses off by up to/),
      },
    ]);

    let last: RunEvent | undefined;
    for await (const event of runExperiment(micro({ models: 1, trainImages: 256, noiseImages: 256 }), data))
      last = event;
    expect(last?.type).toBe('finished');
    if (last?.type === 'finished') expect(last.result.backend).toBe('cpu');
  });

  it('checks by default only when there is a backend to fall back to', async () => {
    let calls = 0;
    const count = () => (calls++, tampered('zero logits'));
    const wasm = await selectBackend(['wasm'], { checkKernels: count });
    expect([wasm.name, wasm.limits]).toEqual(['wasm', WASM_LIMITS]);
    expect(calls).toBe(0);
    await expect(selectBackend(['wasm'], { checkKernels: count, verify: true })).rejects.toThrow(
      /wasm: it computed wrong numbers/,
    );
    expect(calls).toBe(1);
  });
});
