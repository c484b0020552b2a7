/**
 * The built app in headless Chromium, through the page's stable hooks (data-testid, roles):
 * it loads cleanly on WebGPU, takes its settings from the URL, refuses bad ones visibly, the init
 * switch works by keyboard, a run can be cancelled and a new one finishes with all six results,
 * and the exported results.json has the CLI's schema.
 *
 * The runs are on wasm: the page does not care which backend trains, and a run on WebGPU in
 * SwiftShader takes minutes here (engine.test.ts runs one to the end in the worker).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONDITIONS, type ExperimentResult } from '../../src/experiment/results';
import { browserAvailable, serveApp, collectErrors, launchChromium, since, type Served } from './support';

const available = browserAvailable();

/** The tiny preset cut down. Two models, so the 95% intervals are numbers. */
const SETTINGS =
  'preset=tiny&models=2&hidden=16&trainImages=1000&noiseImages=300&studentEpochs=1&curvePoints=2&curveTestImages=200';
/** The page on WebGPU (SwiftShader here), as a link that asks for it gets it. */
const WEBGPU_QUERY = `backend=webgpu,wasm&${SETTINGS}`;
const RUN_QUERY = `backend=wasm&${SETTINGS}`;
const RUN_TIMEOUT_MS = 120_000;

/**
 * The benchmark's timed steps per cell, cut from the page's 5 to 1 on the way to the worker (about
 * 20 s less): what is tested here is the page's wiring (button, worker, rows, table, download);
 * the cells themselves are tested in Node (test/experiment/bench/plan.test.ts).
 */
function oneTimedBenchStep(): void {
  const post = Worker.prototype.postMessage as (this: Worker, message: unknown, options?: unknown) => void;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, options?: unknown) {
    const bench = message as { type?: string } | null;
    post.call(this, bench?.type === 'bench' ? { ...bench, steps: 1 } : message, options);
  } as typeof Worker.prototype.postMessage;
}

describe.skipIf(!available)('the app in Chromium', () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let result: ExperimentResult | null = null;

  beforeAll(async () => {
    const start = performance.now();
    served = await serveApp();
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    errors = collectErrors(page);
    console.log(`browser set-up (preview, Chromium): ${since(start)} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('loads with no console errors and names WebGPU in the backend badge', async () => {
    await page.goto(`${served.url}/?${WEBGPU_QUERY}`);
    const badge = page.getByTestId('backend');
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toMatch(/webgpu/i);
    expect(await badge.textContent()).toMatch(/swiftshader/i);
    // The settings came from the link, without complaint.
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('flips the init switch by keyboard', async () => {
    const toggle = page.getByRole('switch');
    await expect.poll(() => toggle.count()).toBe(1);
    const before = await toggle.getAttribute('aria-checked');
    expect(['true', 'false']).toContain(before);
    await toggle.focus();
    expect(await toggle.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe(before === 'true' ? 'false' : 'true');
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe(before);
  });

  it(
    'cancels a run, then a new run finishes and shows all six results',
    async () => {
      await page.goto(`${served.url}/?${RUN_QUERY}`);
      const run = page.getByTestId('run');
      const cancel = page.getByTestId('cancel');
      const phase = page.getByTestId('phase');
      await expect.poll(() => run.isEnabled(), { timeout: 60_000 }).toBe(true);
      const ready = await phase.textContent();

      await run.click();
      await expect.poll(() => cancel.isEnabled(), { timeout: 30_000 }).toBe(true);
      // Cancelled once it is going: the progress line has moved on from "Ready".
      await expect.poll(() => phase.textContent(), { timeout: 30_000 }).not.toBe(ready);
      const cancelledAt = performance.now();
      await cancel.click();
      await expect.poll(() => run.isEnabled(), { timeout: 30_000 }).toBe(true);
      console.log(`cancel: run button back after ${since(cancelledAt)} ms`);
      expect(await cancel.isEnabled()).toBe(false);
      expect(await page.getByTestId('result-teacher').count()).toBe(0);

      const start = performance.now();
      await run.click();
      for (const name of CONDITIONS) {
        await page.getByTestId(`result-${name}`).waitFor({ state: 'visible', timeout: RUN_TIMEOUT_MS - since(start) });
      }
      console.log(`run (${RUN_QUERY}) to all six results: ${since(start)} ms`);
      // The results come as soon as the six conditions are tested; the "why" is measured after them.
      await expect.poll(() => run.isEnabled(), { timeout: RUN_TIMEOUT_MS - since(start) }).toBe(true);
      console.log(`run (${RUN_QUERY}) to its end: ${since(start)} ms`);
      for (const name of CONDITIONS) {
        const text = (await page.getByTestId(`result-${name}`).textContent()) ?? '';
        expect(text, name).toMatch(/^\s*\d{1,3}\.\d%\s*$/);
      }
      expect(Number(await page.getByTestId('result-teacher').getAttribute('data-value'))).toBeGreaterThan(0.2);
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it('exports results.json with the ExperimentResult schema and the URL settings', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    expect(download.suggestedFilename()).toBe('results.json');
    result = JSON.parse(readFileSync(await download.path(), 'utf8')) as ExperimentResult;
    expect(Object.keys(result).sort()).toEqual([
      'backend',
      'conditions',
      'config',
      'crossSources',
      'curves',
      'seconds',
      'theorem',
      'trait',
    ]);
    expect(result.config).toMatchObject({
      models: 2,
      hidden: [16],
      trainImages: 1000,
      noiseImages: 300,
      studentEpochs: 1,
      auxLogits: 10,
    });
    expect(result.backend).toMatch(/^wasm/); // the link's backend
    expect(result.seconds).toBeGreaterThan(0);
    expect(Object.keys(result.conditions).sort()).toEqual([...CONDITIONS].sort());
    for (const name of CONDITIONS) {
      const condition = result.conditions[name];
      expect(Object.keys(condition).sort()).toEqual(['accuracies', 'ci95', 'mean', 'sd']);
      expect(condition.accuracies).toHaveLength(2);
      for (const value of condition.accuracies) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect(condition.mean).toBeCloseTo((condition.accuracies[0]! + condition.accuracies[1]!) / 2, 10);
      expect(typeof condition.sd).toBe('number');
      expect(condition.ci95).toBeCloseTo((1.96 * condition.sd!) / Math.sqrt(2), 10);
      // The page shows the same number, in percent, rounded.
      expect(await page.getByTestId(`result-${name}`).textContent()).toBe(`${(condition.mean * 100).toFixed(1)}%`);
      expect(Number(await page.getByTestId(`result-${name}`).getAttribute('data-value'))).toBe(condition.mean);
    }
    expect(Object.keys(result.curves).sort()).toEqual(['distill', 'teacher']);
    expect(result.curves.teacher.length).toBeGreaterThan(0);
    expect(result.curves.distill.length).toBeGreaterThan(0);
    expect(result.crossSources).toHaveLength(2);
    expect(result.crossSources).not.toEqual([0, 1]); // a derangement: no model is its own cross source
    // The page measures why: alignment on every distillation point, and the one-step experiment.
    for (const point of result.curves.distill) expect(point.alignment?.distance.student_aux).toHaveLength(2);
    expect(result.theorem?.models).toBe(2);
    expect(result.theorem?.points.length).toBeGreaterThan(3);
  });

  it('shows the alignment charts and the one-step theorem with its measured numbers', async () => {
    expect(await page.getByTestId('theorem-verdict').textContent()).toMatch(/From the same start/);
    expect(await page.getByTestId('theorem-shared').textContent()).toMatch(/ε = /);
    expect(await page.getByTestId('theorem-table').locator('tbody tr').count()).toBe(result!.theorem!.points.length);
    expect(await page.getByTestId('alignment-now-update').textContent()).toMatch(/same start/i);
    expect(await page.getByTestId('alignment-now-gradient').isVisible()).toBe(true);
  });

  it(
    'runs a sweep from a shared link through the engine and tabulates both students at each value',
    async () => {
      await page.goto(`${served.url}/?${RUN_QUERY}&sweep=m=1,4`);
      const run = page.getByTestId('values-run');
      await expect.poll(() => run.isEnabled(), { timeout: 60_000 }).toBe(true);
      const start = performance.now();
      await run.click();
      for (const value of ['1', '4']) {
        await page
          .getByTestId(`values-table-${value}-same`)
          .waitFor({ state: 'visible', timeout: 2 * RUN_TIMEOUT_MS - since(start) });
      }
      console.log(`sweep m=1,4 (${RUN_QUERY}): ${since(start)} ms`);
      // m = 1: a softmax over one logit is constant, so the aux student never moves from its chance-level start.
      const same = Number(await page.getByTestId('values-table-1-same').getAttribute('data-value'));
      expect(same).toBeLessThan(0.25);
      expect(new URL(page.url()).searchParams.get('sweep')).toBe('auxLogits=1,4');
    },
    2 * RUN_TIMEOUT_MS + 30_000,
  );

  it('left to itself on a machine without a GPU, uses wasm and says why it passed over WebGPU', async () => {
    const other = await context.newPage();
    try {
      await other.goto(`${served.url}/?preset=tiny`);
      const badge = other.getByTestId('backend');
      await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toMatch(/wasm/i);
      expect(await badge.textContent()).toMatch(/software/i);
    } finally {
      await other.close();
    }
  });

  it('has a benchmark mode (?bench) that measures steps in the browser and tabulates them', async () => {
    const other = await context.newPage();
    try {
      await other.addInitScript(oneTimedBenchStep);
      await other.goto(`${served.url}/?bench=1&backend=wasm`);
      const run = other.getByRole('button', { name: 'Run the benchmark' });
      await expect.poll(() => run.isEnabled(), { timeout: 30_000 }).toBe(true);
      await run.click();
      await other.getByRole('status').waitFor({ state: 'visible', timeout: 120_000 });
      const table = (await other.getByTestId('bench-table').textContent()) ?? '';
      for (const word of ['teacher', 'distill', 'autodiff', 'stock-per-model', 'stock-batched'])
        expect(table).toContain(word);
      expect(await other.getByRole('button', { name: 'Download JSON' }).isEnabled()).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('shows a message for bad settings in the URL', async () => {
    const other = await context.newPage();
    try {
      await other.goto(`${served.url}/?preset=tiny&models=0&auxLogits=abc`);
      const alert = other.getByRole('alert').first();
      await alert.waitFor({ state: 'visible', timeout: 10_000 });
      const text = (await other.getByRole('alert').allTextContents()).join(' ');
      expect(text).toMatch(/models/);
      expect(text).toMatch(/auxLogits/);
      expect(text).toMatch(/abc/);
    } finally {
      await other.close();
    }
  });

  it('logged no console errors or uncaught exceptions', () => {
    expect(errors).toEqual([]);
  });
});
