/** A run split into chunks of models gives exactly the unchunked run's numbers. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../../src/data/loadNode';
import type { MnistData } from '../../../src/data/mnist';
import { ChunkEvents, runInChunks } from '../../../src/experiment/schedule/chunkedRun';
import type { ExperimentResult } from '../../../src/experiment/results';
import type { RunEvent } from '../../../src/experiment/events';
import * as tf from '../../../src/experiment/tf';
import { micro, useWasm } from '../../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

async function run(chunks: number[][], alignment = false): Promise<{ events: RunEvent[]; result: ExperimentResult }> {
  const events: RunEvent[] = [];
  // The mode is fixed: left to itself, each run would time both modes and could pick differently
  // under load, and the two modes round differently.
  const options = { progressIntervalMs: 0, alignment, mode: 'per-model' as const };
  for await (const event of runInChunks(micro({ models: 3 }), data, chunks, options)) events.push(event);
  const finished = events.find((event) => event.type === 'finished');
  if (finished?.type !== 'finished') throw new Error(`no result: ${JSON.stringify(events.at(-1))}`);
  return { events, result: finished.result };
}

describe('chunked runs', () => {
  it('reproduce the unchunked run exactly: accuracies, curves, cross partners', async () => {
    const before = tf.memory().numTensors;
    const whole = await run([[0, 1, 2]]);
    const chunked = await run([[0], [1, 2]]);
    expect(tf.memory().numTensors).toBe(before);
    expect(chunked.result.conditions).toEqual(whole.result.conditions);
    expect(chunked.result.curves).toEqual(whole.result.curves);
    expect(chunked.result.crossSources).toEqual(whole.result.crossSources);
    expect(chunked.result.conditions.student_aux.accuracies).toHaveLength(3);
  });

  it('measured with alignment: the same series and the same one-step result as the whole run, one theorem event', async () => {
    const whole = await run([[0, 1, 2]], true);
    const chunked = await run([[0], [1, 2]], true);
    expect(chunked.result.curves).toEqual(whole.result.curves);
    expect(chunked.result.curves.distill[1].alignment!.distance.cross_aux).toHaveLength(3);
    expect(chunked.result.theorem).toEqual(whole.result.theorem);
    expect(chunked.result.theorem!.models).toBe(3);
    expect(chunked.events.filter((event) => event.type === 'theorem')).toHaveLength(1);
  });

  it('report one run: progress rises to 1 across chunks, phases name their models, one result', async () => {
    const { events } = await run([[0], [1], [2]]);
    const fractions = events.flatMap((event) => (event.type === 'progress' ? [event.fraction] : []));
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1] - 1e-12)).toBe(true);
    expect(fractions.at(-1)).toBeCloseTo(1, 6);
    const phases = events.flatMap((event) => (event.type === 'phase' ? [event.message] : []));
    expect(phases.some((message) => message.includes('models 3–3 of 3'))).toBe(true);
    expect(events.filter((event) => event.type === 'finished')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'digits')).toHaveLength(1);
  });
});

describe('ChunkEvents', () => {
  const progress = (fraction: number): RunEvent => ({
    type: 'progress',
    phase: 'distill',
    step: 1,
    totalSteps: 1,
    stepsPerSecond: 1,
    fraction,
    secondsLeft: 0,
  });
  const fractionOf = (event: RunEvent | null) => (event?.type === 'progress' ? event.fraction : NaN);

  it("counts progress out of its chunks' models: a shard's chunks (some of the run's models) end at 1", () => {
    for (const together of [false, true]) {
      const events = new ChunkEvents(micro({ models: 8 }), [[1, 5], [3]], together);
      expect(fractionOf(events.translate(0, progress(1)))).toBeCloseTo(2 / 3, 12);
      expect(fractionOf(events.translate(1, progress(1)))).toBe(1);
    }
  });
});
