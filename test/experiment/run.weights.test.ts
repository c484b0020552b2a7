import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import { scalePixels, type MnistData } from '../../src/data/mnist';
import { runInChunks } from '../../src/experiment/schedule/chunkedRun';
import { crossSources } from '../../src/experiment/model/conditions';
import { guess } from '../../src/experiment/reference/forward';
import { initialParameters, layerSizes } from '../../src/experiment/model/mlp';
import type { DrawModel, ModelWeights } from '../../src/experiment/results';
import type { RunEvent } from '../../src/experiment/events';
import { runExperiment, type RunOptions } from '../../src/experiment/run';
import * as tf from '../../src/experiment/tf';
import { TensorGroup } from '../../src/experiment/step/group';
import { StockKernels } from '../../src/experiment/step/stockKernels';
import { micro, sameBits, useWasm } from '../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

async function collect(events: AsyncGenerator<RunEvent, void, void>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

type WeightsEvent = Extract<RunEvent, { type: 'weights' }>;
const weightsOf = (events: RunEvent[]) => events.filter((e): e is WeightsEvent => e.type === 'weights');
const resultOf = (events: RunEvent[]) =>
  (events.find((e) => e.type === 'finished') as Extract<RunEvent, { type: 'finished' }>).result;

function sameModel(a: ModelWeights | undefined, b: { weights: Float32Array[]; biases: Float32Array[] }): boolean {
  return (
    !!a && a.weights.every((w, l) => sameBits(w, b.weights[l])) && a.biases.every((x, l) => sameBits(x, b.biases[l]))
  );
}

/** Model accuracy on the first `count` test digits, read by the host forward pass. */
function hostAccuracy(model: ModelWeights, count: number): number {
  const pixels = scalePixels(data.test.pixels.subarray(0, count * 784));
  let right = 0;
  for (let i = 0; i < count; i++)
    if (guess(model, pixels.subarray(i * 784, (i + 1) * 784)).digit === data.test.labels[i]) right++;
  return right / count;
}

describe("model 0's weights for the drawing pad", () => {
  const config = micro({ models: 2, curvePoints: 2 });
  const options: RunOptions = { mode: 'per-model', progressIntervalMs: 1e9 };

  it('follow every curve point of the teacher and of the distillation, and come once more after training', async () => {
    const before = tf.memory().numTensors;
    const events = await collect(runExperiment(config, data, options));
    expect(tf.memory().numTensors).toBe(before);
    const result = resultOf(events);

    // Each weights event comes right after a curve point (3 per phase: step 0 and 2 more), then the final one.
    const kinds = events.flatMap((e) => (e.type === 'metrics' || e.type === 'weights' ? [`${e.type}:${e.phase}`] : []));
    expect(kinds).toEqual([
      ...Array(3).fill(['metrics:teacher', 'weights:teacher']).flat(),
      ...Array(3).fill(['metrics:distill', 'weights:distill']).flat(),
      'weights:distill',
    ]);
    const weights = weightsOf(events);
    const names = weights.map((e) => Object.keys(e.weights).sort().join(','));
    expect(names).toEqual([
      ...Array(3).fill('teacher'),
      ...Array(3).fill('cross_aux,student_aux'),
      'cross_aux,student_aux,teacher',
    ]);
    const sizes = layerSizes(config.hidden, config.auxLogits);
    for (const event of weights) {
      for (const model of Object.values(event.weights)) {
        expect(model!.sizes).toEqual(sizes);
        expect(model!.weights.map((w) => w.length)).toEqual(sizes.slice(1).map((out, l) => sizes[l] * out));
        expect(model!.biases.map((b) => b.length)).toEqual(sizes.slice(1));
      }
    }

    // At step 0 they are the starts: the teacher's and the same-init student's are model 0's
    // reference init; the different-init student's is its cross source's.
    const init = (model: number) => initialParameters(sizes, config.seed, model);
    expect(sameModel(weights[0].weights.teacher, init(0))).toBe(true);
    expect(sameModel(weights[3].weights.student_aux, init(0))).toBe(true);
    expect(sameModel(weights[3].weights.cross_aux, init(crossSources(config.models, config.seed)[0]))).toBe(true);
    // They move with training.
    expect(sameModel(weights[2].weights.teacher, init(0))).toBe(false);
    expect(sameModel(weights[5].weights.student_aux, init(0))).toBe(false);
    // The final ones are the trained models: read on the host, they score the run's own accuracies.
    const final = weights.at(-1)!.weights;
    expect(sameModel(final.teacher, weights[2].weights.teacher!)).toBe(true);
    expect(sameModel(final.student_aux, weights[5].weights.student_aux!)).toBe(true);
    for (const name of ['teacher', 'student_aux', 'cross_aux'] as DrawModel[]) {
      expect(
        Math.abs(hostAccuracy(final[name]!, 10000) - result.conditions[name].accuracies[0]),
        name,
      ).toBeLessThanOrEqual(0.001);
    }
  });

  it('come, unchanged, from the chunk that holds model 0 of a chunked run, and a run without curve points still sends them once', async () => {
    const before = tf.memory().numTensors;
    const whole = weightsOf(await collect(runExperiment(config, data, options)));
    const chunked = await collect(runInChunks(config, data, [[0], [1]], options));
    expect(tf.memory().numTensors).toBe(before);
    const parts = weightsOf(chunked);
    expect(parts).toHaveLength(whole.length);
    parts.forEach((event, i) => {
      expect(event.phase).toBe(whole[i].phase);
      for (const [name, model] of Object.entries(whole[i].weights))
        expect(sameModel(event.weights[name as DrawModel], model!), name).toBe(true);
    });
    // A chunk without model 0 sends none.
    expect(weightsOf(await collect(runExperiment(config, data, { ...options, models: [1] })))).toHaveLength(0);

    const quiet = weightsOf(await collect(runExperiment({ ...config, curvePoints: 0 }, data, options)));
    expect(quiet.map((e) => Object.keys(e.weights).sort())).toEqual([['cross_aux', 'student_aux', 'teacher']]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cost little per curve point: one model row read back, however the stack is split', async () => {
    const before = tf.memory().numTensors;
    const sizes = layerSizes([256, 256], 3); // the paper's MLP
    const models = Array.from({ length: 8 }, (_, i) => initialParameters(sizes, 1, i));
    const kernels = new StockKernels();
    for (const mode of ['per-model', 'batched'] as const) {
      const group = TensorGroup.fromHost(sizes, models, true, mode, kernels);
      await group.readRow(4); // warms the kernels up
      const started = performance.now();
      const row = await group.readRow(5);
      const ms = performance.now() - started;
      group.dispose();
      expect(sameModel(row, models[5])).toBe(true);
      const bytes = [...row.weights, ...row.biases].reduce((sum, a) => sum + a.byteLength, 0);
      // 784·256 + 256 + 256·256 + 256 + 256·13 + 13 parameters of 4 bytes.
      expect(bytes).toBe(270093 * 4);
      console.log(
        `one model of the paper's MLP: ${(bytes / 1e6).toFixed(2)} MB, read in ${ms.toFixed(1)} ms (${mode === 'per-model' ? 'model by model' : 'one stack of 8'}, ${tf.getBackend()})`,
      );
    }
    const one = TensorGroup.fromHost(sizes, models.slice(0, 1), false, 'per-model', kernels);
    await expect(one.readRow(1)).rejects.toThrow(RangeError);
    one.dispose();
    kernels.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
