/**
 * "Deploy anywhere" and "installable": the run's build (what `npm run build` makes, plus the
 * harness page of the engine tests, which adds one small chunk shared with it), served unchanged
 * from a sub-path of a plain static server (Node's http, not Vite, as GitHub Pages serves /<repo>/).
 * The page loads with every request inside the sub-path answered, a run from a link finishes,
 * a second visit with no network loads from the service worker and MNIST from the cache and still
 * finishes a run, and the web app manifest and its icons are there.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONDITIONS } from '../../src/experiment/results';
import {
  browserAvailable,
  collectErrors,
  launchChromium,
  serveStatic,
  sharedBuild,
  since,
  type StaticServer,
} from './support';

const available = browserAvailable();

const SUB_PATH = '/some/sub/path/';
/** A small run on wasm (the same everywhere, and quick on two cores). */
const RUN_QUERY =
  'backend=wasm&preset=tiny&models=2&hidden=16&trainImages=1000&noiseImages=300&studentEpochs=1&curvePoints=2&curveTestImages=200';
const RUN_TIMEOUT_MS = 60_000;

/** The run button, clicked once it is enabled; resolves when all six results are on the page. */
async function runToResults(page: Page): Promise<number> {
  const run = page.getByTestId('run');
  await expect.poll(() => run.isEnabled(), { timeout: 30_000 }).toBe(true);
  const start = performance.now();
  await run.click();
  for (const name of CONDITIONS) {
    await page.getByTestId(`result-${name}`).waitFor({ state: 'visible', timeout: RUN_TIMEOUT_MS - since(start) });
  }
  for (const name of CONDITIONS) {
    // The accuracy as a number (data-value), whatever the text's format.
    const value = Number(await page.getByTestId(`result-${name}`).getAttribute('data-value'));
    expect(value, name).toBeGreaterThanOrEqual(0);
    expect(value, name).toBeLessThanOrEqual(1);
  }
  return since(start);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe.skipIf(!available)('the build served from a sub-path of a plain static server', () => {
  let outDir: string;
  let server: StaticServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  /** Every URL the browser asked for (page, workers, service worker), whoever answered. */
  const browserRequests: string[] = [];
  /** The paths the page and its workers asked for (the rest is the service worker's precache). */
  const fromPage = new Set<string>();

  beforeAll(async () => {
    const start = performance.now();
    // A copy of the run's build, since the last test deploys a new build over it.
    outDir = mkdtempSync(path.join(tmpdir(), 'subliminal-deploy-'));
    cpSync(sharedBuild(), outDir, { recursive: true });
    server = await serveStatic(outDir, SUB_PATH);
    browser = await launchChromium();
    context = await browser.newContext();
    context.on('request', (request: Request) => {
      browserRequests.push(request.url());
      if (!request.serviceWorker()) fromPage.add(new URL(request.url()).pathname);
    });
    page = await context.newPage();
    errors = collectErrors(page);
    console.log(`deploy set-up (copy of the build, static server, Chromium): ${since(start)} ms`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('loads from the sub-path with every request answered, and a run from a link finishes', async () => {
    await page.goto(`${server.url}?${RUN_QUERY}`);
    // Only the tiny wasm build is asked for: the page is usable and the backend is chosen.
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 30_000 }).toMatch(/wasm/i);
    expect(await page.getByRole('alert').count()).toBe(0);
    // The service worker takes over this first visit (clients.claim) once it has precached the build,
    // and the engine worker has stored the MNIST files it loads before Run: the test set and the
    // one training shard this link's 1,000 images (and the default preset's 10,000) need.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open('subliminal-mnist-v2')).keys()).length), {
        timeout: 30_000,
      })
      .toBe(4);
    const loaded = server.requests.slice();
    const bytes = (requests: typeof loaded) =>
      `${(requests.reduce((sum, request) => sum + request.bytes, 0) / 1e6).toFixed(2)} MB`;
    const byPage = (request: (typeof loaded)[number]) => fromPage.has(request.url.split('?')[0]!);
    const data = loaded.filter((request) => request.url.includes('/data/'));
    const precache = loaded.filter((request) => !byPage(request));
    console.log(
      `first load before Run: ${loaded.length} requests, ${bytes(loaded)}: MNIST ${bytes(data)}, ` +
        `the rest of the page ${bytes(loaded.filter((request) => byPage(request) && !data.includes(request)))}, ` +
        `only the service worker's precache ${bytes(precache)}`,
    );
    for (const request of loaded) {
      const by = byPage(request) ? '' : ' (service worker)';
      console.log(`  ${request.status} ${String(request.bytes).padStart(9)} ${request.method} ${request.url}${by}`);
    }
    // A light first visit (issue 18): everything before Run (page, engine worker, wasm, the service
    // worker's precache, MNIST), from a host that does not compress, in at most 8 MB. TensorFlow.js
    // comes once (the helpers are the engine worker's own script), MNIST only as far as needed.
    const total = loaded.reduce((sum, request) => sum + request.bytes, 0);
    expect(total).toBeLessThanOrEqual(8_000_000);
    expect(loaded.filter((request) => /\/assets\/part\.worker/.test(request.url))).toEqual([]);
    expect(data.map((request) => request.url.replace(SUB_PATH, '')).sort()).toEqual(
      [
        't10k-images-idx3-ubyte',
        't10k-labels-idx1-ubyte',
        'train-images-idx3-ubyte.0',
        'train-labels-idx1-ubyte.0',
      ].map((name) => `data/${name}.gz`),
    );

    const ms = await runToResults(page);
    console.log(`run (${RUN_QUERY}): ${ms} ms`);

    for (const request of server.requests) {
      expect(request.url.startsWith(SUB_PATH), `${request.url} is outside ${SUB_PATH}`).toBe(true);
      expect([200, 304], `${request.method} ${request.url} answered ${request.status}`).toContain(request.status);
    }
    // Data and the wasm binary came from the sub-path too (relative URLs all the way down).
    const paths = server.requests.map((request) => request.url.split('?')[0]!);
    expect(paths).toContain(`${SUB_PATH}data/train-images-idx3-ubyte.0.gz`);
    expect(paths.some((p) => /^\/some\/sub\/path\/assets\/tfjs-backend-wasm[\w-]*\.wasm$/.test(p))).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('loads and runs again with no network: the page from the service worker, MNIST from the cache', async () => {
    const before = server.requests.length;
    await context.setOffline(true);
    try {
      // A different query, and the folder without index.html: the navigation fallback answers it.
      await page.goto(`${server.url}?${RUN_QUERY}&seed=7`);
      await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 30_000 }).toMatch(/wasm/i);
      const ms = await runToResults(page);
      console.log(`offline run: ${ms} ms`);
      // The browser's own update check of sw.js on navigation is not covered by Playwright's
      // offline emulation (it reaches the server, 304); with a real network gone it fails
      // quietly and the installed worker stays. Nothing else may have reached the server.
      const reached = server.requests.slice(before).filter((request) => request.url !== `${SUB_PATH}sw.js`);
      expect(reached).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('links a web app manifest with relative start_url and scope, and icons that answer', async () => {
    const href = await page.locator('link[rel="manifest"]').evaluate((link: HTMLLinkElement) => link.href);
    expect(href).toBe(`${server.url}manifest.webmanifest`);
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toMatch(/^#[0-9a-f]{6}$/i);
    const response = await fetch(href);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/manifest+json');
    const manifest = (await response.json()) as {
      name?: string;
      short_name?: string;
      start_url?: string;
      scope?: string;
      theme_color?: string;
      background_color?: string;
      icons?: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.name).toMatch(/Subliminal/);
    expect(manifest.short_name).toBe('Subliminal');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    // Relative, so the installed app opens the folder it was installed from.
    expect(new URL(manifest.start_url!, href).href).toBe(server.url);
    expect(new URL(manifest.scope!, href).href).toBe(server.url);
    const icons = manifest.icons ?? [];
    expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((icon) => icon.purpose?.split(' ').includes('maskable'))).toBe(true);
    for (const icon of icons) {
      const url = new URL(icon.src, href).href;
      expect(url.startsWith(server.url), url).toBe(true);
      const answer = await fetch(url);
      expect(answer.status, url).toBe(200);
      expect(answer.headers.get('content-type'), url).toBe('image/png');
      const bytes = new Uint8Array(await answer.arrayBuffer());
      expect([...bytes.subarray(0, 8)], url).toEqual(PNG_SIGNATURE);
      const [width, height] = icon.sizes.split('x').map(Number);
      expect(pngSize(bytes), url).toEqual({ width, height });
    }
    // The service worker has them too, for an offline install.
    const cached = await page.evaluate(
      async (urls) => {
        const found = await Promise.all(urls.map((url) => caches.match(url, { ignoreVary: true })));
        return found.map((response) => response?.status ?? 0);
      },
      [href, ...icons.map((icon) => new URL(icon.src, href).href)],
    );
    expect(cached.every((status) => status === 200)).toBe(true);
  });

  it('a new build reaches a returning visitor: the next reload gets it', async () => {
    // A new deploy: the page changes, and so does sw.js (its precache manifest's version).
    const index = path.join(outDir, 'index.html');
    writeFileSync(
      index,
      readFileSync(index, 'utf8').replace('<head>', '<head><meta name="subliminal-build" content="2">'),
    );
    const sw = path.join(outDir, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/"version":"(\w+)"/, '"version":"$1-2"'));
    const build = () => page.locator('meta[name="subliminal-build"]').count();
    // The visit after the deploy: still the old build (the page may be running an experiment),
    // but the new one is found and installed, waiting.
    const start = performance.now();
    await page.goto(server.url);
    expect(await build()).toBe(0);
    console.log(`update: the visit after the deploy loaded (old build) in ${since(start)} ms`);
    await expect
      .poll(
        () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null),
        {
          timeout: 30_000,
        },
      )
      .toBe('installed');
    console.log(`update: the new build installed and waiting after ${since(start)} ms`);
    // The next reload of the only tab gets the new build.
    // (Not waiting for 'load': the old worker may answer with a page that refreshes itself at once.)
    await page.reload({ waitUntil: 'commit', timeout: 30_000 });
    await expect.poll(() => build().catch(() => 0), { timeout: 30_000 }).toBe(1);
    console.log(`update: the reload got the new build after ${since(start)} ms`);
    expect(
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null),
    ).toBeNull();
    expect(errors).toEqual([]);
  }, 120_000);

  it('asked for nothing outside the sub-path', () => {
    const outside = browserRequests.filter(
      (url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:'),
    );
    expect(outside).toEqual([]);
    expect(server.requests.every((request) => request.url.startsWith(SUB_PATH))).toBe(true);
  });
});
