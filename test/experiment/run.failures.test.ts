/**
 * Every failure path disposes what it made: an engine failure forced at chosen points of a run
 * (a step kernel that throws on its Nth call, as an out-of-memory would) ends the run 'failed',
 * leaves tf.memory().numTensors where it started, and the next run finishes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import type { MnistData } from '../../src/data/mnist';
import type { ExperimentConfig } from '../../src/experiment/config';
import type { StepKernels } from '../../src/experiment/step/kernels';
import { backendProblem, resetEngine, selectBackend } from '../../src/experiment/device/backend';
import { fasterStackMode } from '../../src/experiment/step/pickMode';
import { StockKernels } from '../../src/experiment/step/stockKernels';
import { layerSizes } from '../../src/experiment/model/mlp';
import type { RunEvent } from '../../src/experiment/events';
import { runExperiment, type RunOptions } from '../../src/experiment/run';
import * as tf from '../../src/experiment/tf';
import { micro, useWasm } from '../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

type KernelMethod = 'forward' | 'lossGradient' | 'parameterGradient' | 'adam';

/** Stock kernels whose `method` throws on its `failAt`-th call, after allocating like a real kernel would. */
class FailingKernels implements StepKernels {
  readonly name = 'failing';
  private readonly inner = new StockKernels();
  private calls = 0;
  constructor(
    private readonly method: KernelMethod,
    private readonly failAt: number,
  ) {}

  private tick(): void {
    if (++this.calls === this.failAt) {
      tf.zeros([64, 64]); // a tensor made just before the failure: the enclosing tidy must take it
      throw new Error(`memory access out of bounds (forced at ${this.method} call ${this.failAt})`);
    }
  }
  forward: StepKernels['forward'] = (stack, input) => {
    if (this.method === 'forward') this.tick();
    return this.inner.forward(stack, input);
  };
  lossGradient: StepKernels['lossGradient'] = (logits, target) => {
    if (this.method === 'lossGradient') this.tick();
    return this.inner.lossGradient(logits, target);
  };
  parameterGradient: StepKernels['parameterGradient'] = (stack, input, activations, gradient) => {
    if (this.method === 'parameterGradient') this.tick();
    return this.inner.parameterGradient(stack, input, activations, gradient);
  };
  adam: StepKernels['adam'] = (stack, gradient, settings) => {
    if (this.method === 'adam') this.tick();
    this.inner.adam(stack, gradient, settings);
  };
  dispose(): void {
    this.inner.dispose();
  }
}

async function lastEvent(config: ExperimentConfig, options: RunOptions = {}): Promise<RunEvent> {
  let last: RunEvent | undefined;
  for await (const event of runExperiment(config, data, options)) last = event;
  return last!;
}

// micro() model by model: 5 teacher steps of 2 one-model stacks (kernel calls 1–10), then 4
// distillation steps of 8 student stacks (Adam calls 11–42); with the alignment probe, its first
// measurement takes loss gradients 11–26 and the one-step experiment starts after forward call 146.
const FAILURES: {
  where: string;
  method: KernelMethod;
  failAt: number;
  config?: Partial<ExperimentConfig>;
  alignment?: boolean;
}[] = [
  { where: 'the first teacher step', method: 'forward', failAt: 1 },
  { where: 'a teacher Adam step', method: 'adam', failAt: 3 },
  { where: 'the first distillation step', method: 'adam', failAt: 11 },
  { where: 'a distillation backward pass', method: 'parameterGradient', failAt: 20 },
  {
    where: "the mitigation's trait gradient",
    method: 'parameterGradient',
    failAt: 12,
    config: { mitigation: 'project' },
  },
  { where: 'the alignment probe', method: 'lossGradient', failAt: 15, alignment: true },
  { where: 'the one-step experiment', method: 'forward', failAt: 160, alignment: true },
];

describe('an engine failure mid-run', () => {
  for (const { where, method, failAt, config, alignment } of FAILURES) {
    it(`in ${where} ends the run failed, leaves no tensor behind, and the next run finishes`, async () => {
      const before = tf.memory().numTensors;
      const kernels = new FailingKernels(method, failAt);
      const failed = await lastEvent(micro(config), { kernels, alignment, progressIntervalMs: 0 });
      expect(failed.type).toBe('failed');
      if (failed.type === 'failed') expect(failed.reason).toContain('memory access out of bounds');
      const after = tf.memory().numTensors;
      console.info(`forced failure in ${where}: ${before} → ${after} tensors`);
      expect(after).toBe(before);

      const next = await lastEvent(micro({ models: 1, trainImages: 256, noiseImages: 256 }));
      expect(next.type).toBe('finished');
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('while timing the stack modes (the oversize run of issue 12) leaves no stack behind', async () => {
    const before = tf.memory().numTensors;
    const sizes = layerSizes([32, 32], 3);
    await expect(fasterStackMode(sizes, 4, 64, new FailingKernels('adam', 2))).rejects.toThrow(
      'memory access out of bounds',
    );
    expect(tf.memory().numTensors).toBe(before);
    await expect(fasterStackMode(sizes, 4, 64, new FailingKernels('forward', 5))).rejects.toThrow(
      'memory access out of bounds',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a poisoned engine', () => {
  it('is found after a failed run, started afresh, and the next run finishes without a reload', async () => {
    const before = tf.memory().numTensors;
    expect(await backendProblem(before)).toBeNull();
    expect(
      await backendProblem(before, 'batchSize = 64 is larger than both trainImages (32) and noiseImages (32)'),
    ).toBeNull();
    // What the oversize run did before the fix: a failed run that leaves tensors behind.
    tf.zeros([1000, 1000]);
    tf.ones([10]);
    expect(await backendProblem(before)).toMatch(/^the failed run left 2 tensors \(4\.0 MB held\) on wasm$/);

    resetEngine(); // then no backend until one is selected again
    expect((await selectBackend(['wasm'])).name).toBe('wasm');
    expect(tf.memory().numTensors).toBe(0);
    expect(await backendProblem(0)).toBeNull();
    const next = await lastEvent(micro({ models: 1, trainImages: 256, noiseImages: 256 }));
    expect(next.type).toBe('finished');
    expect(tf.memory().numTensors).toBe(0);
  });

  it('after a real wasm failure (out of memory: an abort or an out-of-bounds write, as the oversize run hit) is started afresh, and the next run finishes', () => {
    // In a process of its own: it needs 3–4 GB, and leaves a dead wasm module behind.
    const script = fileURLToPath(new URL('../support/wasmOutOfMemory.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    expect(line, `${child.stdout}\n${child.stderr}`.slice(-2000)).toMatch(/^\{/);
    const outcome = JSON.parse(line);
    console.info(`real wasm out of memory: ${JSON.stringify(outcome)}`);
    expect(outcome.failure).toMatch(/^(Aborted\(\)|memory access out of bounds)/);
    expect(outcome.tensorsAfterFailure).toBe(0);
    // No tensor left, yet the backend is not to be trusted: aborted, or it wrote out of bounds and
    // may still answer; either way the failure names it.
    expect(outcome.problem).toMatch(
      /^wasm failed inside \((Aborted\(\)|memory access out of bounds)\) and may hold corrupt memory$/,
    );
    expect(outcome).toMatchObject({ backend: 'wasm', problemAfterReset: null, next: 'finished', tensorsAfterNext: 0 });
  });
});
