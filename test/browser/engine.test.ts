/**
 * The engine worker in headless Chromium, driven through its protocol by a harness page
 * (harness.html; no UI): WebGPU on SwiftShader, the MNIST download, a whole run, cancel and
 * replace, the wasm fallback, a failed and a stalled download and their retry, the page's
 * Content-Security-Policy, the offline cache and a lost GPU device.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import { runExperiment } from '../../src/experiment/run';
import { useWasm } from '../support/engine';
import { CONDITIONS, type ExperimentResult } from '../../src/experiment/results';
import { type RunEvent } from '../../src/experiment/events';
import type { EngineTestHooks, FromWorker, ToWorker } from '../../src/worker/protocol';
import {
  browserAvailable,
  buildAndServe,
  CHROMIUM,
  CHROMIUM_ARGS,
  collectErrors,
  launchChromium,
  ROOT,
  since,
  type Served,
} from './support';

const available = browserAvailable();

/**
 * Small enough for WebGPU on SwiftShader, where evaluating on the 10,000 test images dominates
 * (about 10 s for this config on 2 busy cores; 30-40 s with models 2 and hidden 32,32).
 */
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
/** Long enough to be cancelled in flight. */
const LONG: ExperimentConfig = { ...SMALL, teacherEpochs: 100, trainImages: 10000 };

type Message = FromWorker;

const HARNESS = '/test/browser/harness.html';

async function messages(page: Page): Promise<Message[]> {
  return page.evaluate(() => (window as unknown as { harness: { messages: FromWorker[] } }).harness.messages);
}

async function send(page: Page, message: ToWorker): Promise<void> {
  await page.evaluate((m) => (window as unknown as { harness: { send(m: ToWorker): void } }).harness.send(m), message);
}

interface WaitOptions {
  timeoutMs?: number;
  /** Look only at messages from this index on. */
  from?: number;
  /** Worker errors and failed downloads fail the wait early, unless the test expects them. */
  tolerateDataFailure?: boolean;
}

/** Waits until a message satisfies `test`. */
async function waitFor(
  page: Page,
  test: (m: Message) => boolean,
  what: string,
  options: WaitOptions = {},
): Promise<Message> {
  const { timeoutMs = 60_000, from = 0, tolerateDataFailure = false } = options;
  const start = performance.now();
  for (;;) {
    const all = (await messages(page)).slice(from);
    const found = all.find(test);
    if (found) return found;
    const problem = all.find((m) => m.type === 'worker-error' || (m.type === 'data-failed' && !tolerateDataFailure));
    if (problem) throw new Error(`while waiting for ${what}: ${JSON.stringify(problem)}`);
    if (performance.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}; last messages: ${JSON.stringify(all.slice(-5)).slice(0, 2000)}`);
    }
    await page.waitForTimeout(100);
  }
}

const runEnd = (runId: number) => (m: Message) =>
  m.type === 'run' && m.runId === runId && ['finished', 'failed', 'cancelled'].includes(m.event.type);

async function endOf(page: Page, runId: number, options: WaitOptions = {}): Promise<RunEvent> {
  const message = await waitFor(page, runEnd(runId), `the end of run ${runId}`, { timeoutMs: 120_000, ...options });
  return (message as Extract<Message, { type: 'run' }>).event;
}

describe.skipIf(!available)('engine worker in Chromium', () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const start = performance.now();
    served = await buildAndServe({ harness: path.join(ROOT, 'test/browser/harness.html') });
    browser = await launchChromium();
    // Service workers only in the offline test, so that nothing else is served from a cache.
    context = await browser.newContext({ serviceWorkers: 'block' });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(`${served.url}${HARNESS}`);
    await waitFor(page, (m) => m.type === 'data-ready', 'MNIST');
    console.log(`browser set-up (build, preview, Chromium, MNIST): ${since(start)} ms`);
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

  it('falls back to wasm in the worker where there is no WebGPU, shares the models between helper workers, and computes what Node computes (also cross-origin isolated)', async () => {
    const worker = readdirSync(path.join(served.outDir, 'assets')).find((name) => /^engine\.worker-.*\.js$/.test(name));
    expect(worker).toBeDefined();
    // Chromium without --enable-unsafe-webgpu: navigator.gpu is there, but no adapter. WebGL
    // (ANGLE) would start, so the 'configure' message asks for webgpu then wasm only.
    const plain = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS.filter((arg) => arg !== '--enable-unsafe-webgpu'),
    });
    try {
      const p = await (await plain.newContext({ serviceWorkers: 'block' })).newPage();
      const wasmErrors = collectErrors(p); // a whole wasm run under the page's CSP: no violation, no error
      // Cross-origin isolated, as with COOP/COEP headers: tfjs would pick its multi-threaded wasm,
      // which fails in a bundled module worker; the worker must keep to the single-threaded one.
      served.setHeaders({
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
      await p.goto(`${served.url}${HARNESS}`);
      expect(await p.evaluate(() => crossOriginIsolated)).toBe(true);
      // Two models: on two or more cores they are shared between helper workers (helperParts.ts).
      const config: ExperimentConfig = { ...SMALL, models: 2, trainImages: 1000 };
      const cores = await p.evaluate(() => navigator.hardwareConcurrency);
      const outcome = await p.evaluate(
        async ({ url, config }) => {
          const seen: FromWorker[] = [];
          const engine = new Worker(url, { type: 'module' });
          await new Promise<void>((resolve) => {
            setTimeout(resolve, 60_000);
            engine.onmessage = (event: MessageEvent<FromWorker>) => {
              const m = event.data;
              if (
                m.type === 'data-progress' ||
                (m.type === 'run' && !['finished', 'failed', 'cancelled'].includes(m.event.type))
              )
                return;
              seen.push(m);
              if (m.type === 'worker-error' || m.type === 'data-failed' || m.type === 'run') resolve();
            };
            engine.postMessage({ type: 'configure', backends: ['webgpu', 'wasm'] } satisfies ToWorker);
            engine.postMessage({ type: 'start', runId: 1, config } satisfies ToWorker);
          });
          engine.terminate();
          return seen;
        },
        { url: `/assets/${worker}`, config },
      );
      const backend = outcome.find((m) => m.type === 'backend');
      expect(backend, JSON.stringify(outcome)).toEqual({
        type: 'backend',
        choice: {
          name: 'wasm',
          adapter: null,
          fallbacks: [{ backend: 'webgpu', reason: 'WebGPU found no usable GPU adapter' }],
          limits: expect.objectContaining({ capacityBytes: 2 ** 32 }), // wasm's address space, for the form's fit check
        },
      });
      const end = outcome.find((m) => m.type === 'run') as Extract<Message, { type: 'run' }> | undefined;
      expect(end?.event.type, JSON.stringify(outcome).slice(0, 2000)).toBe('finished');
      const { result } = end!.event as Extract<RunEvent, { type: 'finished' }>;
      expect(result.backend).toMatch(/^wasm — fell back: webgpu: /);
      if (cores >= 2) expect(result.backend).toMatch(/× 2 workers$/);
      expect(result.conditions.teacher.mean).toBeGreaterThan(0.3);
      // The same run in Node, on one thread: the very same numbers (the same wasm build, and every
      // model's numbers depend only on its own index).
      await useWasm();
      let node: ExperimentResult | null = null;
      for await (const event of runExperiment(config, await loadMnistFromDirectory()))
        if (event.type === 'finished') node = event.result;
      for (const name of CONDITIONS)
        expect(result.conditions[name].accuracies, name).toEqual(node!.conditions[name].accuracies);
      expect(wasmErrors).toEqual([]);
    } finally {
      served.setHeaders({});
      await plain.close();
    }
  });

  it('reports a failed MNIST download with the URL, and retry-data recovers', async () => {
    const failing = await browser.newContext({ serviceWorkers: 'block' });
    try {
      await failing.route('**/data/train-labels-idx1-ubyte.0.gz', (route) =>
        route.fulfill({ status: 503, body: 'down for maintenance' }),
      );
      const p = await failing.newPage();
      await p.goto(`${served.url}${HARNESS}`);
      const failed = await waitFor(p, (m) => m.type === 'data-failed', 'data-failed');
      expect((failed as Extract<Message, { type: 'data-failed' }>).reason).toMatch(
        /train-labels-idx1-ubyte\.0\.gz: HTTP 503/,
      );
      // A start downloads again; while the host still fails, the run fails with the reason.
      let from = (await messages(p)).length;
      await send(p, { type: 'start', runId: 1, config: LONG });
      const failedRun = await endOf(p, 1, { timeoutMs: 30_000, from, tolerateDataFailure: true });
      expect(failedRun).toMatchObject({ type: 'failed', phase: 'prepare' });
      expect((failedRun as Extract<RunEvent, { type: 'failed' }>).reason).toMatch(
        /train-labels-idx1-ubyte\.0\.gz: HTTP 503/,
      );
      // The host is back: retry-data loads MNIST, and a run then trains.
      await failing.unrouteAll();
      from = (await messages(p)).length;
      await send(p, { type: 'retry-data' });
      await waitFor(p, (m) => m.type === 'data-ready', 'data-ready after retry', { from });
      await send(p, { type: 'start', runId: 2, config: LONG });
      await waitFor(p, (m) => m.type === 'run' && m.runId === 2 && m.event.type === 'progress', 'run 2 training', {
        from,
      });
      await send(p, { type: 'cancel', runId: 2 });
      expect((await endOf(p, 2, { timeoutMs: 30_000, from })).type).toBe('cancelled');
    } finally {
      await failing.close();
    }
  });

  it('gives up a stalled download with a message, fails the run waiting for it, and retry-data recovers', async () => {
    const stalling = await browser.newContext({ serviceWorkers: 'block' });
    try {
      // The host accepts the request for one file and never answers.
      await stalling.route('**/data/train-labels-idx1-ubyte.0.gz', () => undefined);
      const p = await stalling.newPage();
      const stallErrors = collectErrors(p);
      // Only a test sets hooks (a global the harness reads before it starts the worker), never a link.
      await p.addInitScript(() => {
        (window as unknown as { engineTestHooks: EngineTestHooks }).engineTestHooks = { stallMs: 1500 };
      });
      await p.goto(`${served.url}${HARNESS}`);
      await send(p, { type: 'start', runId: 1, config: LONG });
      const failed = await waitFor(p, (m) => m.type === 'data-failed', 'data-failed', {
        timeoutMs: 30_000,
        tolerateDataFailure: true,
      });
      const reason = (failed as Extract<Message, { type: 'data-failed' }>).reason;
      expect(reason).toBe(
        `The MNIST download stalled: no data for 1.5 s from ${served.url}/data/train-labels-idx1-ubyte.0.gz. Retry when the connection is back.`,
      );
      // The run that was waiting for the data is not left waiting: it fails with the same reason.
      const end = await endOf(p, 1, { timeoutMs: 30_000, tolerateDataFailure: true });
      expect(end).toMatchObject({ type: 'failed', phase: 'prepare' });
      expect((end as Extract<RunEvent, { type: 'failed' }>).reason).toContain(
        'The MNIST download stalled: no data for 1.5 s',
      );
      // The host answers again: retry-data loads MNIST.
      await stalling.unrouteAll({ behavior: 'ignoreErrors' });
      const from = (await messages(p)).length;
      await send(p, { type: 'retry-data' });
      await waitFor(p, (m) => m.type === 'data-ready', 'data-ready after retry', { from });
      expect(stallErrors.filter((e) => /CSP|pageerror/.test(e))).toEqual([]);
    } finally {
      await stalling.close();
    }
  });

  it('runs the harness under the app’s Content-Security-Policy, and a violation would be caught', async () => {
    const p = await context.newPage();
    const pageErrors = collectErrors(p);
    try {
      await p.goto(`${served.url}${HARNESS}`);
      await waitFor(p, (m) => m.type === 'backend', 'the backend');
      expect(pageErrors).toEqual([]);
      // An inline script is what the policy forbids: it must not run, and collectErrors must say so.
      const ran = await p.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.head.append(script);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => pageErrors.join('\n'), { timeout: 10_000 }).toMatch(/^CSP violation: .*script-src/m);
    } finally {
      await p.close();
    }
  });

  it('works offline after the first visit, downloading nothing the second time', async () => {
    const offline = await browser.newContext({ serviceWorkers: 'allow' });
    try {
      const first = await offline.newPage();
      const firstErrors = collectErrors(first);
      served.hits.clear();
      await first.goto(`${served.url}${HARNESS}?sw`);
      await waitFor(first, (m) => m.type === 'data-ready', 'MNIST on the first visit');
      // Wait until the service worker is active with the build precached, and the engine worker
      // has stored the four MNIST files.
      const cached = await first.evaluate(async () => {
        await (window as unknown as { harness: { serviceWorker: Promise<void> } }).harness.serviceWorker;
        await navigator.serviceWorker.ready;
        const paths = async (name: string) =>
          (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname);
        for (let tries = 0; tries < 100; tries++) {
          const names = await caches.keys();
          const app = names.find((name) => name.startsWith('subliminal-app-'));
          const data = names.includes('subliminal-mnist-v2') ? await paths('subliminal-mnist-v2') : [];
          if (app && data.length === 4) return { names, app: await paths(app), data };
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return { names: await caches.keys(), app: [], data: [] };
      });
      expect(cached.app).toEqual(expect.arrayContaining(['/index.html', '/favicon.svg', HARNESS]));
      expect(cached.app.some((p) => /^\/assets\/engine\.worker-.*\.js$/.test(p))).toBe(true);
      // tfjs's plain and SIMD builds and the CPU kernel (step.wasm); tfjs's multi-threaded build is
      // never loaded (wasmPaths.ts), so not stored.
      const wasm = cached.app.filter((p) => p.endsWith('.wasm'));
      expect(wasm).toHaveLength(3);
      expect(wasm.some((p) => /^\/assets\/step-.*\.wasm$/.test(p))).toBe(true);
      // The test set and the first training shard: all the page asked for (no 'prepare' for more).
      expect(cached.data.sort()).toEqual(
        [
          't10k-images-idx3-ubyte',
          't10k-labels-idx1-ubyte',
          'train-images-idx3-ubyte.0',
          'train-labels-idx1-ubyte.0',
        ].map((f) => `/data/${f}.gz`),
      );
      // The first visit downloaded each MNIST file once.
      const dataHits = [...served.hits].filter(([p]) => p.startsWith('/data/'));
      expect(dataHits.map(([, n]) => n)).toEqual([1, 1, 1, 1]);
      expect(firstErrors).toEqual([]);
      await first.close();

      served.hits.clear();
      await offline.setOffline(true);
      const second = await offline.newPage();
      const errors = collectErrors(second);
      await second.goto(`${served.url}${HARNESS}`);
      expect(await waitFor(second, (m) => m.type === 'backend', 'the backend, offline')).toMatchObject({
        choice: { name: 'webgpu' },
      });
      await waitFor(second, (m) => m.type === 'data-ready', 'MNIST, offline');
      // The app's own page comes from the cache too, whatever its query.
      await second.goto(`${served.url}/?preset=tiny&models=2`);
      expect(await second.title()).toMatch(/Subliminal/);
      expect(await second.locator('#root').count()).toBe(1);
      // Nothing reached the server but the browser's own update check of sw.js (which Playwright's
      // offline mode does not cover; with no network it fails quietly).
      expect([...served.hits].filter(([p]) => p !== '/sw.js')).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await offline.close();
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
