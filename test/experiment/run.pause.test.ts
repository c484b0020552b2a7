import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import type { MnistData } from '../../src/data/mnist';
import type { RunEvent } from '../../src/experiment/events';
import { runExperiment } from '../../src/experiment/run';
import { PauseGate } from '../../src/experiment/run/pause';
import { THEOREM } from '../../src/experiment/why/theorem';
import * as tf from '../../src/experiment/tf';
import { micro, useWasm } from '../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

describe("the lecturer's pause", () => {
  it('stops once in front of each stage, goes on when resumed, and is final before the end', async () => {
    const before = tf.memory().numTensors;
    const pause = new PauseGate(['distill', 'evaluate']);
    const told: string[] = [];
    let evaluatedAt = -1;
    const events: RunEvent[] = [];
    for await (const event of runExperiment(micro(), data, { pause })) {
      events.push(event);
      if (event.type === 'phase' || event.type === 'paused') told.push(`${event.type} ${event.phase}`);
      if (event.type === 'evaluated') evaluatedAt = events.length - 1;
      // The lecturer takes a moment before continuing; the run waits for it.
      if (event.type === 'paused') {
        expect(pause.paused).toBe(true);
        setTimeout(() => pause.resume(), 20);
      }
    }
    expect(told).toEqual([
      'phase prepare',
      'phase teacher',
      'paused distill',
      'phase distill',
      'paused evaluate',
      'phase evaluate',
    ]);
    const finished = events.at(-1);
    expect(finished?.type).toBe('finished');
    // The verdict came before the end, with the same numbers.
    const evaluated = events[evaluatedAt];
    expect(evaluated.type === 'evaluated' && finished?.type === 'finished').toBe(true);
    if (evaluated.type === 'evaluated' && finished?.type === 'finished')
      expect(evaluated.result.conditions).toEqual(finished.result.conditions);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('holds a run between two steps while paused, and a cancel ends the wait', async () => {
    const before = tf.memory().numTensors;
    const pause = new PauseGate();
    const controller = new AbortController();
    const events: RunEvent[] = [];
    let progressWhilePaused = 0;
    for await (const event of runExperiment(micro(), data, {
      pause,
      signal: controller.signal,
      progressIntervalMs: 0,
    })) {
      events.push(event);
      if (event.type === 'progress' && event.phase === 'teacher' && !pause.paused && events.length < 20) {
        // From here nothing may come but the cancel: the run waits for a resume that never comes.
        pause.pause();
        progressWhilePaused = events.length;
        setTimeout(() => controller.abort(new Error('cancelled')), 20);
      }
    }
    expect(events.length).toBe(progressWhilePaused + 1);
    expect(events.at(-1)?.type).toBe('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers messages between the measurements of why it happens (the page never thinks it dead)', async () => {
    let turns = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    let turnsDuringWhy = 0;
    for await (const event of runExperiment(micro(), data, { alignment: true })) {
      // Counts the turns the event loop gets while the one-step experiment runs.
      if (event.type === 'phase' && event.phase === 'theorem') timer = setInterval(() => turns++, 0);
      if (event.type === 'theorem') {
        clearInterval(timer);
        turnsDuringWhy = turns;
      }
    }
    // At least one turn per model and step size measured (a message would get through at each).
    expect(turnsDuringWhy).toBeGreaterThanOrEqual(THEOREM.epsilons.length * micro().models);
  });
});
