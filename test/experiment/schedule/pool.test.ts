import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { CONDITIONS, type ExperimentResult } from '../../../src/experiment/results';
import { type RunEvent } from '../../../src/experiment/events';
import { runParts, type PartMessage, type StartPart } from '../../../src/experiment/schedule/pool';
import { PauseGate } from '../../../src/experiment/run/pause';

const config = { ...preset('tiny'), models: 3 };

function resultOf(models: number[]): ExperimentResult {
  const accuracies = models.map((model) => 0.5 + model / 10);
  return {
    config,
    backend: 'wasm',
    seconds: 1,
    conditions: Object.fromEntries(
      CONDITIONS.map((name) => [name, { accuracies, mean: 0, sd: null, ci95: null }]),
    ) as ExperimentResult['conditions'],
    curves: { teacher: [], distill: [] },
    crossSources: models,
  };
}

/**
 * Fake workers that take turns, the same order every time (no timers racing): in round i, part 0
 * reports its item i, then part 1 its item i, each a macrotask after the last. A cancelled part
 * answers 'cancelled' on its next turn and says nothing more.
 */
function fakeWorkers(script: (part: number, chunks: number[][]) => (RunEvent | { error: string })[]) {
  const log: string[] = [];
  const parts: {
    items: (RunEvent | { error: string })[];
    report: (m: PartMessage) => void;
    cancelled: boolean;
    done: boolean;
  }[] = [];
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const play = async () => {
    for (let round = 0; parts.some((p) => !p.done); round++) {
      for (const [part, p] of parts.entries()) {
        if (p.done) continue;
        await tick();
        if (p.cancelled) {
          p.report({ part, event: { type: 'cancelled', phase: 'teacher', step: 1 } });
          p.done = true;
        } else if (round < p.items.length) {
          const item = p.items[round];
          p.report(('error' in item ? { part, error: item.error } : { part, event: item }) as PartMessage);
        } else p.done = true;
      }
    }
  };
  const start: StartPart = (part, chunks, report) => {
    log.push(`start ${part}: ${JSON.stringify(chunks)}`);
    const state = { items: script(part, chunks), report, cancelled: false, done: false };
    parts.push(state);
    if (parts.length === 1) void tick().then(play); // after every part has started
    return {
      cancel: () => {
        state.cancelled = true;
        log.push(`cancel ${part}`);
      },
      stop: () => void log.push(`stop ${part}`),
    };
  };
  return { start, log };
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('the one pool', () => {
  it('merges the parts into one run: progress over all models, the result in model order, every worker stopped', async () => {
    const { start, log } = fakeWorkers((_part, chunks) => [
      { type: 'progress', phase: 'teacher', step: 1, totalSteps: 2, stepsPerSecond: 1, fraction: 0.5, secondsLeft: 1 },
      { type: 'finished', result: resultOf(chunks.flat()) },
    ]);
    const events = await collect(runParts(config, [[[0]], [[1, 2]]], start));
    const last = events[events.length - 1];
    expect(last.type).toBe('finished');
    if (last.type !== 'finished') return;
    expect(last.result.conditions.teacher.accuracies).toEqual([0.5, 0.6, 0.7]);
    expect(last.result.crossSources).toEqual([0, 1, 2]);
    const progress = events.filter((event) => event.type === 'progress');
    expect(progress.length).toBe(2);
    // Both halves at 0.5 weigh in by their models: the whole run is half done.
    expect(progress[1].type === 'progress' && progress[1].fraction).toBeCloseTo(0.5, 12);
    expect(log).toEqual(['start 0: [[0]]', 'start 1: [[1,2]]', 'stop 0', 'stop 1']);
  });

  it('tells one story: phases only forward, curve points over every model, one evaluation, one stage stop', async () => {
    const point = (models: number[]) => ({
      step: 5,
      epoch: 1,
      accuracy: { teacher: models.map((m) => m / 10) },
      loss: null,
      predictions: { teacher: models },
    });
    const phase = (name: 'teacher' | 'distill'): RunEvent => ({
      type: 'phase',
      phase: name,
      message: name,
      totalSteps: 9,
    });
    // Part 1 runs ahead of part 0: the run is where part 0 is.
    const { start } = fakeWorkers((part, chunks) =>
      part === 0
        ? [
            phase('teacher'),
            { type: 'metrics', phase: 'teacher', point: point(chunks.flat()) },
            { type: 'paused', phase: 'distill', atStage: true },
            phase('distill'),
            { type: 'evaluated', result: resultOf(chunks.flat()) },
            { type: 'finished', result: resultOf(chunks.flat()) },
          ]
        : [
            phase('teacher'),
            { type: 'paused', phase: 'distill', atStage: true },
            phase('distill'),
            { type: 'metrics', phase: 'teacher', point: point(chunks.flat()) },
            { type: 'evaluated', result: resultOf(chunks.flat()) },
            { type: 'finished', result: resultOf(chunks.flat()) },
          ],
    );
    const pause = new PauseGate(['distill']);
    const events = await collect(runParts(config, [[[0]], [[1, 2]]], start, undefined, pause));
    const told = events.map((event) => event.type + ('phase' in event ? ` ${event.phase}` : ''));
    expect(told).toEqual([
      'phase teacher',
      'paused distill',
      'phase distill',
      'metrics teacher',
      'evaluated',
      'finished',
    ]);
    const metrics = events.find((event) => event.type === 'metrics');
    expect(metrics?.type === 'metrics' && metrics.point.accuracy.teacher).toEqual([0, 0.1, 0.2]);
    // Predictions stay model 0's.
    expect(metrics?.type === 'metrics' && metrics.point.predictions.teacher).toEqual([0]);
    const evaluated = events.find((event) => event.type === 'evaluated');
    expect(evaluated?.type === 'evaluated' && evaluated.result.conditions.teacher.accuracies).toEqual([0.5, 0.6, 0.7]);
    // The whole run paused once every part stopped: a resume must reach them all.
    expect(pause.paused).toBe(true);
  });

  it('stops at the first part that fails, with its reason, and stops the others', async () => {
    const { start, log } = fakeWorkers((part, chunks) =>
      part === 1
        ? [{ error: 'worker thread 2 exited (code 1) without a result' }]
        : [{ type: 'finished', result: resultOf(chunks.flat()) }],
    );
    const events = await collect(runParts(config, [[[0]], [[1, 2]]], start));
    expect(events.at(-1)).toEqual({
      type: 'failed',
      phase: 'prepare',
      reason: 'worker thread 2 exited (code 1) without a result',
    });
    expect(log.filter((line) => line.startsWith('stop'))).toHaveLength(2);
  });

  it('passes a cancel to every worker and ends cancelled', async () => {
    const controller = new AbortController();
    const { start, log } = fakeWorkers(() => [
      { type: 'phase', phase: 'teacher', message: 'teacher', totalSteps: 2 },
      { type: 'progress', phase: 'teacher', step: 1, totalSteps: 2, stepsPerSecond: 1, fraction: 0.5, secondsLeft: 1 },
      { type: 'progress', phase: 'teacher', step: 2, totalSteps: 2, stepsPerSecond: 1, fraction: 1, secondsLeft: 0 },
    ]);
    const events: RunEvent[] = [];
    for await (const event of runParts(config, [[[0]], [[1, 2]]], start, controller.signal)) {
      events.push(event);
      if (event.type === 'phase') controller.abort();
    }
    expect(events.at(-1)?.type).toBe('cancelled');
    expect(log).toContain('cancel 0');
    expect(log).toContain('cancel 1');
  });

  it('ignores what a part reports after its end (a thread exiting after its result)', async () => {
    const { start } = fakeWorkers((_part, chunks) => [
      { type: 'finished', result: resultOf(chunks.flat()) },
      { error: 'exited' },
    ]);
    const events = await collect(runParts(config, [[[0]], [[1, 2]]], start));
    expect(events.at(-1)?.type).toBe('finished');
  });
});
