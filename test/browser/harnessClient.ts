/**
 * Driving the engine worker through the harness page (harness.ts) from a test: send it messages,
 * read what it said, and wait for a message, woken by the page as each one arrives.
 */
import type { Page } from 'playwright-core';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import type { RunEvent } from '../../src/experiment/events';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';
import type { Harness } from './harness';

type Message = FromWorker;

/**
 * A run small enough for WebGPU on SwiftShader, where evaluating on the 10,000 test images
 * dominates (about 10 s for this config on 2 busy cores; 30-40 s with models 2 and hidden 32,32).
 */
export const SMALL: ExperimentConfig = {
  ...preset('tiny'),
  models: 1,
  hidden: [16],
  trainImages: 1000,
  noiseImages: 300,
  studentEpochs: 1,
  curvePoints: 2,
  curveTestImages: 200,
};
/** Long enough to be cancelled in flight. */
export const LONG: ExperimentConfig = { ...SMALL, teacherEpochs: 100, trainImages: 10000 };

/** Everything the worker has said on this page, in order. */
export async function messages(page: Page): Promise<Message[]> {
  return page.evaluate(() => (window as unknown as { harness: Harness }).harness.messages);
}

export async function send(page: Page, message: ToWorker): Promise<void> {
  await page.evaluate((m) => (window as unknown as { harness: Harness }).harness.send(m), message);
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Look only at messages from this index on. */
  from?: number;
  /** Worker errors and failed downloads fail the wait early, unless the test expects them. */
  tolerateDataFailure?: boolean;
}

/** Waits until a message satisfies `test`; the page answers as soon as new messages arrive. */
export async function waitFor(
  page: Page,
  test: (m: Message) => boolean,
  what: string,
  options: WaitOptions = {},
): Promise<Message> {
  const { timeoutMs = 60_000, from = 0, tolerateDataFailure = false } = options;
  const deadline = performance.now() + timeoutMs;
  const seen: Message[] = [];
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0)
      throw new Error(`timed out waiting for ${what}; last messages: ${JSON.stringify(seen.slice(-5)).slice(0, 2000)}`);
    const fresh = await page.evaluate(
      ([start, wait]) => (window as unknown as { harness: Harness }).harness.next(start, wait),
      [from + seen.length, Math.min(left, 5_000)] as const,
    );
    seen.push(...fresh);
    const found = fresh.find(test);
    if (found) return found;
    const problem = fresh.find((m) => m.type === 'worker-error' || (m.type === 'data-failed' && !tolerateDataFailure));
    if (problem) throw new Error(`while waiting for ${what}: ${JSON.stringify(problem)}`);
  }
}

const runEnd = (runId: number) => (m: Message) =>
  m.type === 'run' && m.runId === runId && ['finished', 'failed', 'cancelled'].includes(m.event.type);

/** The event that ended run `runId`: finished, failed or cancelled. */
export async function endOf(page: Page, runId: number, options: WaitOptions = {}): Promise<RunEvent> {
  const message = await waitFor(page, runEnd(runId), `the end of run ${runId}`, { timeoutMs: 120_000, ...options });
  return (message as Extract<Message, { type: 'run' }>).event;
}
