/**
 * Fit before you run, in the page's engine worker: the oversize link of issue 12
 * (`?models=1000&hidden=4096,…`) is refused at once, before anything trains, naming the fields
 * and the limit; the worker is untouched by it and the next run finishes. Driven through the
 * worker's protocol by the harness page, on wasm (the backend that failed mid-run before).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import type { RunEvent } from '../../src/experiment/events';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';
import { browserAvailable, buildAndServe, collectErrors, launchChromium, ROOT, since, type Served } from './support';

const available = browserAvailable();

const OVERSIZE: ExperimentConfig = { ...preset('paper'), models: 1000, hidden: [4096, 4096, 4096, 4096, 4096, 4096] };
const SMALL: ExperimentConfig = {
  ...preset('tiny'),
  models: 1,
  hidden: [16],
  trainImages: 1000,
  noiseImages: 300,
  studentEpochs: 1,
  curvePoints: 2,
  curveTestImages: 200,
};

const messages = (page: Page) =>
  page.evaluate(() => (window as unknown as { harness: { messages: FromWorker[] } }).harness.messages);
const send = (page: Page, message: ToWorker) =>
  page.evaluate((m) => (window as unknown as { harness: { send(m: ToWorker): void } }).harness.send(m), message);

async function endOf(page: Page, runId: number, timeoutMs: number): Promise<RunEvent> {
  const start = performance.now();
  for (;;) {
    const end = (await messages(page)).find(
      (m) => m.type === 'run' && m.runId === runId && ['finished', 'failed', 'cancelled'].includes(m.event.type),
    );
    if (end?.type === 'run') return end.event;
    if (performance.now() - start > timeoutMs)
      throw new Error(
        `run ${runId} did not end within ${timeoutMs} ms: ${JSON.stringify((await messages(page)).slice(-3)).slice(0, 1500)}`,
      );
    await page.waitForTimeout(50);
  }
}

describe.skipIf(!available)('an oversize run in the engine worker', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    served = await buildAndServe({ harness: path.join(ROOT, 'test/browser/harness.html') });
    browser = await launchChromium();
    page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    errors = collectErrors(page);
    await page.goto(`${served.url}/test/browser/harness.html?backend=wasm`);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('is refused before training, naming hidden, batchSize and the 4 GiB limit; the next run finishes', async () => {
    const start = performance.now();
    await send(page, { type: 'start', runId: 1, config: OVERSIZE });
    const refused = await endOf(page, 1, 30_000);
    const seconds = since(start);
    console.info(`oversize run refused by the worker in ${seconds} ms: ${JSON.stringify(refused)}`);
    expect(refused).toMatchObject({ type: 'failed', phase: 'prepare' });
    if (refused.type === 'failed') {
      expect(refused.reason).toMatch(
        /^hidden = 4096,4096,4096,4096,4096,4096 with batchSize = 1024 needs about [\d.]+ GB for a single model/,
      );
      expect(refused.reason).toContain("more than wasm's 4 GiB address space can hold (4.29 GB)");
    }
    const run1 = (await messages(page)).flatMap((m) => (m.type === 'run' && m.runId === 1 ? [m.event.type] : []));
    expect(run1).toEqual(['failed']); // no phase, no progress: nothing trained
    expect((await messages(page)).some((m) => m.type === 'engine-restarted')).toBe(false); // nothing was poisoned

    await send(page, { type: 'start', runId: 2, config: SMALL });
    const next = await endOf(page, 2, 120_000);
    expect(next.type, JSON.stringify(next).slice(0, 500)).toBe('finished');
    expect(errors).toEqual([]);
  });
});
