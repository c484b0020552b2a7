/**
 * The engine worker in headless Chromium off the GPU (wasm), driven through its protocol by the
 * harness page (harness.html; no UI), where the subject is not WebGPU: the oversize run of issue
 * 12 refused before it trains, the fallback to wasm where there is no WebGPU, a failed and a
 * stalled download and their retry, the page's Content-Security-Policy and the offline cache.
 * (engine.test.ts: the worker on WebGPU.)
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import type { RunEvent } from '../../src/experiment/events';
import { CONDITIONS, type ExperimentResult } from '../../src/experiment/results';
import { runExperiment } from '../../src/experiment/run';
import type { EngineTestHooks, FromWorker, ToWorker } from '../../src/worker/protocol';
import { useWasm } from '../support/engine';
import { endOf, LONG, messages, send, SMALL, waitFor } from './harnessClient';
import {
  browserAvailable,
  CHROMIUM,
  CHROMIUM_ARGS,
  collectErrors,
  HARNESS,
  launchChromium,
  serveApp,
  since,
  type Served,
} from './support';

const available = browserAvailable();

/** The oversize link of issue 12 (`?models=1000&hidden=4096,…`). */
const OVERSIZE: ExperimentConfig = { ...preset('paper'), models: 1000, hidden: [4096, 4096, 4096, 4096, 4096, 4096] };
/** Where the subject is not WebGPU: wasm starts in a moment; WebGPU on SwiftShader first compiles its check. */
const OFF_GPU = 'wasm';

type Message = FromWorker;

describe.skipIf(!available)('engine worker in Chromium, off the GPU', () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const start = performance.now();
    served = await serveApp();
    browser = await launchChromium();
    // Service workers only in the offline test, so that nothing else is served from a cache.
    context = await browser.newContext({ serviceWorkers: 'block' });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(`${served.url}${HARNESS}?backend=${OFF_GPU}`);
    console.log(`browser set-up (preview, Chromium): ${since(start)} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  // Fit before you run: refused at once, naming the fields and the limit; the worker is untouched
  // by it and the next run finishes (wasm: the backend that failed mid-run before).
  it('is refused before training, naming hidden, batchSize and the 4 GiB limit; the next run finishes', async () => {
    const start = performance.now();
    await send(page, { type: 'start', runId: 1, config: OVERSIZE });
    const refused = await endOf(page, 1, { timeoutMs: 30_000 });
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
    const next = await endOf(page, 2, { timeoutMs: 120_000 });
    expect(next.type, JSON.stringify(next).slice(0, 500)).toBe('finished');
    expect(errors).toEqual([]);
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
      // (The harness's own engine off the GPU: WebGL would start here, and its check costs time.)
      await p.goto(`${served.url}${HARNESS}?backend=${OFF_GPU}`);
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
      await p.goto(`${served.url}${HARNESS}?backend=${OFF_GPU}`);
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
      await p.goto(`${served.url}${HARNESS}?backend=${OFF_GPU}`);
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
      await p.goto(`${served.url}${HARNESS}?backend=${OFF_GPU}`);
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
      await first.goto(`${served.url}${HARNESS}?sw&backend=${OFF_GPU}`);
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
      // tfjs's plain and SIMD builds and the CPU kernel's two builds (step.wasm, step.relaxed.wasm);
      // tfjs's multi-threaded build is never loaded (wasmPaths.ts), so not stored.
      const wasm = cached.app.filter((p) => p.endsWith('.wasm'));
      expect(wasm).toHaveLength(4);
      expect(wasm.some((p) => /^\/assets\/step-.*\.wasm$/.test(p))).toBe(true);
      expect(wasm.some((p) => /^\/assets\/step\.relaxed-.*\.wasm$/.test(p))).toBe(true);
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
      // Any query gets the cached page; offline, wasm starts from its cached binaries.
      await second.goto(`${served.url}${HARNESS}?backend=${OFF_GPU}`);
      expect(await waitFor(second, (m) => m.type === 'backend', 'the backend, offline')).toMatchObject({
        choice: { name: OFF_GPU },
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
  });
});
