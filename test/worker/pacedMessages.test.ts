import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isFrequent, paceMessages } from '../../src/worker/pacedMessages';
import type { FromWorker } from '../../src/worker/protocol';

const progress = (step: number): FromWorker =>
  ({
    type: 'run',
    runId: 1,
    event: { type: 'progress', phase: 'distill', step, totalSteps: 10, stepsPerSecond: 1, secondsLeft: null },
  }) as unknown as FromWorker;
const cancelled = { type: 'run', runId: 1, event: { type: 'cancelled', phase: 'distill', step: 3 } } as FromWorker;

/** A pacer of numbers (positive ones are frequent), every 250 ms, and what it delivered. */
function paced(frequent = (m: number) => m > 0) {
  const batches: number[][] = [];
  const pacer = paceMessages<number>((b) => batches.push(b), frequent, 250);
  return { batches, pacer };
}

describe('paceMessages', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers the first message at once and batches frequent ones to one delivery per interval', () => {
    const { batches, pacer } = paced();
    pacer.push(1);
    expect(batches).toEqual([[1]]);
    pacer.push(2);
    pacer.push(3);
    expect(batches).toEqual([[1]]); // waiting for the interval
    vi.advanceTimersByTime(250);
    expect(batches).toEqual([[1], [2, 3]]);
    pacer.push(4);
    expect(batches).toHaveLength(2);
    vi.advanceTimersByTime(249);
    expect(batches).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('delivers a message that is not frequent at once, after those queued before it', () => {
    const { batches, pacer } = paced();
    pacer.push(1);
    pacer.push(2);
    pacer.push(-1);
    expect(batches).toEqual([[1], [2, -1]]);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1], [2, -1]]); // nothing delivered twice, no empty batch
  });

  it('drops what is queued when disposed', () => {
    const { batches, pacer } = paced(() => true);
    pacer.push(1);
    pacer.push(2);
    pacer.dispose();
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1]]);
  });
});

describe('isFrequent', () => {
  it('lets progress wait, never the end of a run or a failure', () => {
    expect(isFrequent(progress(1))).toBe(true);
    expect(isFrequent(cancelled)).toBe(false);
    expect(isFrequent({ type: 'worker-error', reason: 'x' })).toBe(false);
    expect(isFrequent({ type: 'models-ready', runId: 1, models: [] })).toBe(true);
  });
});
