/**
 * The engine worker in headless Chromium, driven through its protocol by a harness page
 * (harness.html; no UI), on WebGPU on SwiftShader: the MNIST download, a whole run, cancel and
 * replace, and a lost GPU device. (engine.wasm.test.ts: the fallback to wasm, failed and stalled
 * downloads, the page's Content-Security-Policy, the offline cache and an oversize run.)
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/experiment/events';
import { CONDITIONS, type ExperimentResult } from '../../src/experiment/results';
import type { FromWorker } from '../../src/worker/protocol';
import { endOf, LONG, messages, send, SMALL, waitFor } from './harnessClient';
import { browserAvailable, collectErrors, HARNESS, launchChromium, serveApp, since, type Served } from './support';

const available = browserAvailable();

type Message = FromWorker;

describe.skipIf(!available)('engine worker in Chromium', () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const start = performance.now();
    served = await serveApp();
    browser = await launchChromium();
    // No service worker, so that nothing is served from a cache (the offline test is engine.wasm.test.ts's).
    context = await browser.newContext({ serviceWorkers: 'block' });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(`${served.url}${HARNESS}`);
    await waitFor(page, (m) => m.type === 'data-ready', 'MNIST');
    console.log(`browser set-up (preview, Chromium, MNIST): ${since(start)} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('finds a WebGPU adapter, picks webgpu in the worker and loads MNIST', async () => {
    const adapter = await page.evaluate(async () => {
      const found = await navigator.gpu?.requestAdapter();
      return found ? `${found.info.vendor} ${found.info.architecture}` : null;
    });
    expect(adapter).toMatch(/swiftshader|\w/);
    const backend = await waitFor(page, (m) => m.type === 'backend', 'the backend');
    expect(backend).toMatchObject({ type: 'backend', choice: { name: 'webgpu', fallbacks: [] } });
    expect((backend as Extract<Message, { type: 'backend' }>).choice.adapter).toBeTruthy();
    await waitFor(page, (m) => m.type === 'data-ready', 'MNIST');
    const progress = (await messages(page)).filter((m) => m.type === 'data-progress');
    const last = progress.at(-1) as Extract<Message, { type: 'data-progress' }>;
    // Served as gzip bytes: the total is known and the bytes counted add up to it exactly. Only
    // the test set and the first training shard (about 1.6 MB each) are loaded before a 'prepare'.
    expect(last.totalBytes).toBeGreaterThan(3_000_000);
    expect(last.totalBytes).toBeLessThan(4_000_000);
    expect(last.loadedBytes).toBe(last.totalBytes);
    // The four files came as application/gzip, not Content-Encoding: gzip.
    const headers = await page.evaluate(async () => {
      const response = await fetch('/data/t10k-labels-idx1-ubyte.gz');
      return { type: response.headers.get('content-type'), encoding: response.headers.get('content-encoding') };
    });
    expect(headers).toEqual({ type: 'application/gzip', encoding: null });
  });

  it('runs a small experiment on WebGPU to the end, every event forwarded', async () => {
    const start = performance.now();
    await send(page, { type: 'start', runId: 1, config: SMALL });
    const end = await endOf(page, 1);
    console.log(`small run on WebGPU: ${since(start)} ms`);
    expect(end.type, JSON.stringify(end)).toBe('finished');
    const result = (end as Extract<RunEvent, { type: 'finished' }>).result as ExperimentResult;
    expect(result.backend).toMatch(/^webgpu/);
    expect(Object.keys(result.conditions).sort()).toEqual([...CONDITIONS].sort());
    for (const name of CONDITIONS) expect(result.conditions[name].accuracies).toHaveLength(SMALL.models);
    expect(result.conditions.teacher.mean).toBeGreaterThan(0.2); // chance is 0.1
    const events = (await messages(page)).flatMap((m) => (m.type === 'run' && m.runId === 1 ? [m.event.type] : []));
    for (const type of ['phase', 'progress', 'metrics', 'digits', 'noise', 'finished']) expect(events).toContain(type);
  });

  it('cancels a run, and a new start replaces a running one', async () => {
    await send(page, { type: 'start', runId: 2, config: LONG });
    await waitFor(
      page,
      (m) => m.type === 'run' && m.runId === 2 && m.event.type === 'progress' && m.event.phase === 'teacher',
      'run 2 training',
    );
    // Start run 3 without cancelling run 2: the worker cancels 2 first.
    await send(page, { type: 'start', runId: 3, config: LONG });
    expect((await endOf(page, 2, { timeoutMs: 30_000 })).type).toBe('cancelled');
    await waitFor(page, (m) => m.type === 'run' && m.runId === 3 && m.event.type === 'progress', 'run 3 training');
    const cancelledAt = performance.now();
    await send(page, { type: 'cancel', runId: 3 });
    expect((await endOf(page, 3, { timeoutMs: 30_000 })).type).toBe('cancelled');
    console.log(`cancel took effect in ${since(cancelledAt)} ms`);
    // Each run ended exactly once, and nothing came after its end.
    const all = await messages(page);
    for (const runId of [2, 3]) {
      const events = all.flatMap((m) => (m.type === 'run' && m.runId === runId ? [m.event.type] : []));
      expect(events.filter((type) => type === 'cancelled' || type === 'finished' || type === 'failed')).toEqual([
        'cancelled',
      ]);
      expect(events.at(-1)).toBe('cancelled');
    }
  });

  it('logged no errors on the page or in the worker', () => {
    expect(errors).toEqual([]);
    expect((page as Page).isClosed()).toBe(false);
  });

  it('reports a lost GPU device, and the next run starts on a fresh device', async () => {
    const from = (await messages(page)).length;
    await send(page, { type: 'start', runId: 10, config: LONG });
    await waitFor(page, (m) => m.type === 'run' && m.runId === 10 && m.event.type === 'progress', 'run 10 training', {
      from,
    });
    // Crash Chromium's GPU process: every WebGPU device in the browser is lost.
    const cdp = await browser.newBrowserCDPSession();
    await cdp.send('Browser.crashGpuProcess');
    const lost = await waitFor(page, (m) => m.type === 'device-lost', 'device-lost', { timeoutMs: 30_000, from });
    expect((lost as Extract<Message, { type: 'device-lost' }>).reason).not.toBe('');
    const end = await endOf(page, 10, { timeoutMs: 30_000, from });
    expect(['failed', 'cancelled']).toContain(end.type);
    // Same worker, next run: a fresh backend on a fresh device, which computes.
    const next = (await messages(page)).length;
    await send(page, { type: 'start', runId: 11, config: LONG });
    const backend = await waitFor(page, (m) => m.type === 'backend', 'a new backend', {
      timeoutMs: 60_000,
      from: next,
    });
    expect(backend).toMatchObject({ choice: { name: 'webgpu' } });
    await waitFor(
      page,
      (m) => m.type === 'run' && m.runId === 11 && m.event.type === 'metrics',
      'a curve point of run 11',
      { timeoutMs: 60_000, from: next },
    );
    await send(page, { type: 'cancel', runId: 11 });
    expect((await endOf(page, 11, { timeoutMs: 30_000, from: next })).type).toBe('cancelled');
  });
});
