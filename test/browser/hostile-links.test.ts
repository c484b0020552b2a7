/**
 * No blank page, ever, whatever a shared link holds. Each hostile link (malformed % escapes,
 * TensorFlow.js's own `tfjsflags`, huge, negative, hex and exponent numbers, markup in every
 * string field, repeated and unknown keys, a 100 kB query, a broken sweep) loads the built page
 * in one of two Chromium pages, reused: the header and Run must be there, with no uncaught error and no
 * console error; a refused value keeps Run off with its reason beside Run; markup stays text.
 * No run is started. The table of link → outcome is printed for the issue's closing note.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveApp, collectErrors, launchChromium, since, type Served } from './support';

const available = browserAvailable();

/** A link, and the words Run's reason must contain when the page refuses it (null: Run stays on). */
interface Hostile {
  query: string;
  refused: string | null;
  /** Markup the page must show as text, never as an element. */
  markup?: string;
}

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const JS = 'javascript:alert(1)';
const SVG = '<svg onload=alert(1)>';
const raw = (text: string) => encodeURIComponent(text);

const LINKS: Hostile[] = [
  // Malformed escapes: TensorFlow.js's decodeURIComponent threw on these and blanked the page.
  { query: '?seed=100%', refused: 'seed = "100%" is not a number in decimal digits' },
  { query: '?x=%E0%A4%A', refused: '"x" is not a setting' },
  { query: '?%', refused: '"%" is not a setting' },
  { query: '?models=%FF%FE', refused: 'models = "' },
  { query: '?seed=%uD800', refused: 'seed = "%uD800" is not a number' },
  { query: '?seed=%F0%9F%98%80', refused: 'seed = "😀" is not a number' },
  { query: '?models=%00', refused: 'models = "\\u0000" is not a number' },
  // TensorFlow.js's own URL flags are not the page's.
  { query: '?tfjsflags=WEBGL_VERSION:3', refused: '"tfjsflags" is not a setting' },
  { query: '?tfjsflags=DEBUG:true,WEBGL_CPU_FORWARD:true', refused: '"tfjsflags" is not a setting' },
  { query: '?tfjsflags=%', refused: '"tfjsflags" is not a setting' },
  // Huge, negative, hex, exponent and signed numbers.
  {
    query: '?models=1000000000000000000000',
    refused: 'models = 1000000000000000000000 is out of range: allowed is a whole number from 1 to 1000',
  },
  { query: `?seed=${'9'.repeat(400)}`, refused: `seed = "${'9'.repeat(60)}…" is out of range` },
  { query: '?learningRate=1e999', refused: 'learningRate = 1e999 is out of range' },
  { query: '?models=-1', refused: 'models = -1 is out of range' },
  { query: '?batchSize=0x40', refused: 'batchSize = "0x40" is not a number in decimal digits like 64' },
  { query: '?models=1e0', refused: 'models = "1e0" is not a number in decimal digits' },
  // (a bare + in a query is a space, so the sign is written %2B)
  { query: '?curvePoints=%2B5', refused: 'curvePoints = "+5" is not a number in decimal digits' },
  { query: '?learningRate=0x1', refused: 'learningRate = "0x1" is not a number like 0.001 or 1e-3' },
  { query: '?studentInitNoise=NaN', refused: 'studentInitNoise = "NaN" is not a number like 0.001 or 1e-3' },
  { query: '?hidden=64,,32', refused: 'hidden = "64,,32" is not a comma-separated list of whole numbers' },
  { query: '?freshLayers=1,1', refused: 'freshLayers = 1,1 names a layer twice' },
  // Markup in every string field, and in a key: shown as text, never run.
  { query: `?noise=${raw(SCRIPT)}`, refused: `noise = ${SCRIPT} is not allowed`, markup: SCRIPT },
  { query: `?distillLoss=${raw(IMG)}`, refused: `distillLoss = ${IMG} is not allowed`, markup: IMG },
  { query: `?mitigation=${raw(JS)}`, refused: `mitigation = ${JS} is not allowed`, markup: JS },
  { query: `?preset=${raw(IMG)}`, refused: `preset = "${IMG}" is unknown`, markup: IMG },
  { query: `?hidden=${raw(SVG)}`, refused: `hidden = "${SVG}" is not a comma-separated list`, markup: SVG },
  { query: `?${raw(SCRIPT)}=1`, refused: `"${SCRIPT}" is not a setting`, markup: SCRIPT },
  { query: `?sweep=${raw(SCRIPT)}`, refused: null, markup: SCRIPT },
  { query: `?backend=${raw(IMG)}`, refused: null },
  // Repeated, empty and unknown keys.
  { query: '?models=2&models=3', refused: 'models is given 2 times ("2", "3"): give it once' },
  { query: '?preset=tiny&preset=quick', refused: 'preset is given 2 times ("tiny", "quick"): give it once' },
  { query: '?present&present', refused: null },
  { query: '?preset=', refused: 'preset = "" is unknown' },
  { query: '?=1', refused: '"" is not a setting' },
  { query: '?colour=red', refused: '"colour" is not a setting' },
  { query: '?__proto__=1&constructor=2&toString=3&valueOf=4', refused: '"__proto__" is not a setting' },
  // A 100 kB query.
  { query: `?junk=${'A'.repeat(100_000)}`, refused: '"junk" is not a setting' },
  { query: `?seed=${'1'.repeat(100_000)}`, refused: `seed = "${'1'.repeat(60)}…" is out of range` },
  // Broken sweeps: the sweep panel names them; the settings are fine, so Run stays on.
  { query: '?sweep=', refused: null },
  { query: '?sweep=%', refused: null },
  { query: '?sweep=auxLogits=1,,x', refused: null },
  { query: '?sweep=nonsense=1,2&sweep=more', refused: null },
  // Controls: links the page accepts as they are.
  { query: '?preset=tiny&models=2&learningRate=.001', refused: null },
  { query: '?preset=paper&freshLayers=1,3&hidden=64,64', refused: null },
];

/** How many pages open the links at once. */
const LANES = 2;

/** What happened to one link, for the table. */
interface Outcome {
  link: string;
  outcome: string;
}

/** The JavaScript a page's entry loads, transitively (static and dynamic imports, not workers). */
function mainThreadScripts(outDir: string): string[] {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const queue = [...html.matchAll(/<script[^>]+src="\.?\/?([^"]+\.js)"/g)].map((match) => match[1]);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(path.join(outDir, file), 'utf8');
    for (const match of text.matchAll(/(?:import|from)\s*\(?\s*["']\.\/([^"']+\.js)["']/g))
      queue.push(path.posix.join(path.posix.dirname(file), match[1]));
  }
  return [...seen];
}

describe.skipIf(!available)('hostile links in Chromium', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const dialogs: string[] = [];
  const table: Outcome[] = [];

  /** Pages that open the links side by side (a page load keeps about one core busy). */
  const lanes: { page: Page; errors: string[] }[] = [];

  beforeAll(async () => {
    const start = performance.now();
    served = await serveApp();
    browser = await launchChromium();
    const context = await browser.newContext();
    for (let lane = 0; lane < LANES; lane++) {
      const page = await context.newPage();
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      lanes.push({ page, errors: collectErrors(page) });
    }
    ({ page, errors } = lanes[0]!);
    console.log(`browser set-up (preview, Chromium): ${since(start)} ms`);
  });

  afterAll(async () => {
    if (table.length > 0) {
      const width = Math.max(...table.map((row) => row.link.length));
      console.log(
        ['hostile links: link → outcome', ...table.map((row) => `${row.link.padEnd(width)}  ${row.outcome}`)].join(
          '\n',
        ),
      );
    }
    await browser?.close();
    await served?.close();
  });

  // The cause of the blank pages: tfjs reads (and decodes) the page's URL when it loads. It must
  // load only in the engine worker, whose URL has no query.
  it("keeps TensorFlow.js out of the page's main thread", () => {
    const scripts = mainThreadScripts(served.outDir);
    expect(scripts.length).toBeGreaterThan(0);
    console.log(
      `main-thread scripts: ${scripts.map((file) => `${file} (${Math.round(readFileSync(path.join(served.outDir, file)).length / 1024)} kB)`).join(', ')}`,
    );
    for (const file of scripts)
      expect(readFileSync(path.join(served.outDir, file), 'utf8'), file).not.toContain('tfjsflags');
  });

  /** Opens one link in `page` and checks it; returns the outcome for the table. */
  async function open(page: Page, errors: string[], { query, refused, markup }: Hostile): Promise<Outcome> {
    const shown = query.length > 70 ? `${query.slice(0, 60)}… (${query.length} chars)` : query;
    const before = errors.length;
    await page.goto(`${served.url}/${query}`);
    const run = page.getByTestId('run');
    await run.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('header h1').textContent(), shown).toBe('Subliminal');
    expect(await page.getByTestId('panel-error').count(), shown).toBe(0);
    expect(await page.getByTestId('app-error').count(), shown).toBe(0);
    let outcome: string;
    if (refused === null) {
      expect(await run.isEnabled(), shown).toBe(true);
      outcome = 'page up, Run on';
    } else {
      expect(await run.isDisabled(), shown).toBe(true);
      const reason = (await page.locator('#run-blocked').textContent()) ?? '';
      expect(reason, shown).toContain(refused);
      outcome = `page up, Run off: ${reason.replace(/^Run is off until (this is|these are) fixed: /, '').slice(0, 90)}`;
    }
    if (markup) {
      // Shown as text only: no element made from it, no handler run, no javascript: link.
      const made = await page.evaluate(() => ({
        images: document.querySelectorAll('img[src="x"], svg[onload]').length,
        inlineScripts: [...document.scripts].filter((script) => script.textContent?.includes('alert(1)')).length,
        jsLinks: document.querySelectorAll('a[href^="javascript:"]').length,
      }));
      expect(made, shown).toEqual({ images: 0, inlineScripts: 0, jsLinks: 0 });
      if (refused !== null) expect(await page.getByTestId('link-issues').textContent(), shown).toContain(markup);
      outcome += '; markup shown as text';
    }
    const mine = errors.slice(before);
    expect(mine, shown).toEqual([]);
    return { link: shown, outcome };
  }

  it(`opens ${LINKS.length} hostile links with the page up, no error, and Run off with the reason for every refused value`, async () => {
    expect(LINKS.length).toBeGreaterThanOrEqual(30);
    const outcomes: Outcome[] = [];
    const lanesDone = await Promise.allSettled(
      lanes.map(async ({ page, errors }, lane) => {
        for (let i = lane; i < LINKS.length; i += LANES) outcomes[i] = await open(page, errors, LINKS[i]!);
      }),
    );
    table.push(...outcomes.filter(Boolean));
    for (const done of lanesDone) if (done.status === 'rejected') throw done.reason;
    expect(dialogs).toEqual([]);
  });

  // Issue 19: `?backend=` went into the engine worker's name, which the worker read for test
  // options too: this link made every download "stall" after 1 ms and deleted the offline MNIST.
  it('a link cannot set the engine’s options: ?backend=wasm stallMs=1 loads MNIST as usual', async () => {
    // A fresh profile: the links above may have had more of MNIST stored (a preset that needs it).
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${served.url}/?backend=${encodeURIComponent('wasm stallMs=1')}`);
      await page.getByTestId('run').waitFor({ state: 'visible' });
      // The test set and first shard arrive and are stored (no stall after 1 ms, no cache deleted).
      await expect
        .poll(() => page.evaluate(async () => (await (await caches.open('subliminal-mnist-v2')).keys()).length), {
          timeout: 60_000,
        })
        .toBe(4);
      expect(await page.getByText(/stalled/).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a broken sweep link is named in its panel, not run', async () => {
    await page.goto(`${served.url}/?sweep=auxLogits=1,,x`);
    await page.getByTestId('run').waitFor({ state: 'visible' });
    const issues = page.getByTestId('values-issues');
    await issues.waitFor({ state: 'attached' });
    expect(await issues.textContent()).toMatch(/auxLogits|m /);
    expect(errors).toEqual([]);
  });
});
