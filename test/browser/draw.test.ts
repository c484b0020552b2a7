/**
 * Draw a digit in headless Chromium (built app): during a run and after it, each of the teacher,
 * the same-start and the different-start student shows ten bars, 0 to 9, whose probabilities sum
 * to 1 and change while the stroke is still being drawn; after a reload the saved run answers with
 * the weights it kept.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveApp, collectErrors, launchChromium, since, type Served } from './support';

const available = browserAvailable();
/** Small enough for a few seconds on wasm. */
const RUN_QUERY =
  'backend=wasm&preset=tiny&models=2&hidden=32&trainImages=1000&noiseImages=600&studentEpochs=2&curvePoints=8&curveTestImages=200';
const RUN_TIMEOUT_MS = 150_000;
const MODELS = ['teacher', 'student_aux', 'cross_aux'] as const;
/** Tall enough that the pad is on screen without scrolling while the page above it grows. */
const VIEWPORT = { width: 1366, height: 1800 };

/** Each model's bars as [digit, probability or null]. */
function readBars(page: Page) {
  return page.evaluate((models) => {
    const out: Record<string, [number, number | null][]> = {};
    for (const name of models) {
      const list = document.querySelector(`[data-testid="draw-bars-${name}"]`);
      out[name] = list
        ? [...list.children].map((bar) => {
            const element = bar as HTMLElement;
            return [Number(element.dataset.digit), element.dataset.p === undefined ? null : Number(element.dataset.p)];
          })
        : [];
    }
    return out;
  }, MODELS);
}

/** The pad's box, scrolled into the middle of the viewport. */
async function padBox(page: Page) {
  await page.evaluate(() => document.querySelector('[data-testid="draw-pad"]')!.scrollIntoView({ block: 'center' }));
  return (await page.getByTestId('draw-pad').boundingBox())!;
}

function expectTenBars(bars: Record<string, [number, number | null][]>) {
  for (const name of MODELS) {
    const list = bars[name]!;
    expect(
      list.map(([digit]) => digit),
      name,
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const [, p] of list) {
      expect(p, name).not.toBeNull();
      expect(p!).toBeGreaterThanOrEqual(0);
      expect(p!).toBeLessThanOrEqual(1);
    }
    expect(list.reduce((sum, [, p]) => sum + p!, 0)).toBeCloseTo(1, 4);
  }
}

describe.skipIf(!available)('draw a digit in Chromium', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const start = performance.now();
    served = await serveApp();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    errors = collectErrors(page);
    console.log(`browser set-up (preview, Chromium): ${since(start)} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it(
    'during a run, ten bars per model follow the stroke while it is drawn',
    async () => {
      await page.goto(`${served.url}/?${RUN_QUERY}`);
      await expect.poll(() => page.getByTestId('run').isEnabled(), { timeout: 60_000 }).toBe(true);
      await page.getByTestId('run').click();
      // All three models hold weights once the students have started.
      await expect
        .poll(() => page.getByTestId('draw-guess-cross_aux').textContent(), { timeout: RUN_TIMEOUT_MS })
        .toMatch(/Draw a digit/);
      const box = await padBox(page);
      // A "7": along the top, then down to the left; the bars are read before the pen lifts.
      await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.2);
      await page.mouse.down();
      for (let i = 1; i <= 12; i++)
        await page.mouse.move(box.x + box.width * (0.25 + 0.05 * i), box.y + box.height * 0.2);
      await expect.poll(async () => (await readBars(page)).teacher!.every(([, p]) => p !== null)).toBe(true);
      const midStroke = await readBars(page);
      expectTenBars(midStroke);
      for (let i = 1; i <= 12; i++)
        await page.mouse.move(box.x + box.width * (0.85 - 0.03 * i), box.y + box.height * (0.2 + 0.055 * i));
      // Still drawing: the reading has moved on with the stroke.
      await expect
        .poll(async () => JSON.stringify((await readBars(page)).teacher), { timeout: 10_000 })
        .not.toBe(JSON.stringify(midStroke.teacher));
      await page.mouse.up();
      expectTenBars(await readBars(page));
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'after the run and after a reload, the saved run reads a drawing with its kept weights',
    async () => {
      await expect
        .poll(() => page.getByTestId('hero-verdict').getAttribute('data-status'), { timeout: RUN_TIMEOUT_MS })
        .toBe('final');
      // The run is saved once it is final; then a reload shows it again.
      await expect.poll(() => page.getByTestId('previous-run').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await page.reload();
      await expect
        .poll(() => page.getByTestId('draw-status').textContent(), { timeout: 30_000 })
        .toMatch(/this saved run/);
      const box = await padBox(page);
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++)
        await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.2 + 0.06 * i));
      await page.mouse.up();
      await expect.poll(async () => (await readBars(page)).cross_aux!.every(([, p]) => p !== null)).toBe(true);
      expectTenBars(await readBars(page));
      for (const name of MODELS)
        expect(await page.getByTestId(`draw-guess-${name}`).textContent()).toMatch(/\d.*\d{1,3}% sure/);
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it('logged no console errors or uncaught exceptions', () => {
    expect(errors).toEqual([]);
  });
});
