/**
 * The classroom page in headless Chromium (built app): everything a class needs lies in the first
 * screen at 1366×768 and 1920×1080 before, during and after a run; flipping the switch changes
 * the featured chart; a digit drawn on the pad gets the three models' guesses; axe-core finds no
 * accessibility violation at 1366×768 and 390×844, light and dark, before and after a run.
 * Positions are printed, so a closing note can quote them.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveApp, collectErrors, launchChromium, since, type Served } from './support';

const available = browserAvailable();
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Small enough for a few seconds on wasm, with enough curve points and noise images to be "during"
 * for a while even under the suite's load (the sparse first layer made the tests and curve points
 * of a smaller run too quick for the page to show "so far" there).
 */
const RUN_QUERY =
  'backend=wasm&preset=tiny&models=2&trainImages=1000&noiseImages=3000&studentEpochs=2&curvePoints=8&curveTestImages=200';
const RUN_TIMEOUT_MS = 150_000;
/** What a class must see without scrolling. */
const FIRST_SCREEN = ['init-switch', 'run', 'phase', 'hero-chart', 'hero-verdict'] as const;
const DESKTOPS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];
const PHONE = { width: 390, height: 844 };

type Moment = 'before' | 'during' | 'after';

/** Each first-screen element's top and bottom (px, page coordinates) at one size. */
async function positions(page: Page): Promise<Record<string, { top: number; bottom: number; right: number }>> {
  const out: Record<string, { top: number; bottom: number; right: number }> = {};
  for (const id of [...FIRST_SCREEN, 'draw-pad']) {
    const element = page.getByTestId(id).first();
    const box = (await element.count()) > 0 ? await element.boundingBox() : null;
    if (box)
      out[id] = {
        top: Math.round(box.y),
        bottom: Math.round(box.y + box.height),
        right: Math.round(box.x + box.width),
      };
  }
  return out;
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as an inline <script>, which the page's Content-Security-Policy blocks.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${AXE_SOURCE}\n;0`);
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run: (context: Document) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

describe.skipIf(!available)('the classroom page in Chromium', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const seen: Record<string, unknown> = {};

  /** At each desktop size: the first screen's parts lie inside the viewport. */
  async function checkFirstScreen(moment: Moment) {
    for (const size of DESKTOPS) {
      await page.setViewportSize(size);
      await page.evaluate(() => window.scrollTo(0, 0));
      const where = await positions(page);
      seen[`${size.width}x${size.height} ${moment}`] = where;
      for (const id of FIRST_SCREEN) {
        expect(where[id], `${id} at ${size.width}×${size.height} ${moment}`).toBeDefined();
        expect(where[id]!.bottom, `${id} bottom at ${size.width}×${size.height} ${moment}`).toBeLessThanOrEqual(
          size.height,
        );
        expect(where[id]!.right, `${id} right at ${size.width}×${size.height} ${moment}`).toBeLessThanOrEqual(
          size.width,
        );
      }
    }
    await page.setViewportSize(PHONE);
    seen[`390x844 ${moment}`] = await positions(page);
  }

  async function checkAxe(moment: Moment) {
    for (const size of [DESKTOPS[0]!, PHONE]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme });
        await page.waitForTimeout(200);
        expect(await axeViolations(page), `axe at ${size.width}×${size.height} ${colorScheme} ${moment}`).toEqual([]);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  beforeAll(async () => {
    const start = performance.now();
    served = await serveApp();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOPS[0] })).newPage();
    errors = collectErrors(page);
    console.log(`browser set-up (preview, Chromium): ${since(start)} ms`);
  });

  afterAll(async () => {
    console.log(
      `first-screen positions (px):\n${Object.entries(seen)
        .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
        .join('\n')}`,
    );
    await browser?.close();
    await served?.close();
  });

  it('before a run: the first screen holds switch, Run, progress, chart and verdict; no axe violations', async () => {
    await page.goto(`${served.url}/?${RUN_QUERY}`);
    await expect.poll(() => page.getByTestId('run').isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('hero-verdict').getAttribute('data-status')).toBe('waiting');
    await checkFirstScreen('before');
    await checkAxe('before');
  });

  it(
    'during and after a run: the verdict says "so far", then "final", still on the first screen',
    async () => {
      await page.setViewportSize(DESKTOPS[0]!);
      // Every state the verdict goes through, recorded in the page: a tiny run can pass "so far"
      // between two polls from here.
      await page.evaluate(() => {
        const seen: [string | null, string][] = [];
        (window as unknown as { verdicts: typeof seen }).verdicts = seen;
        const verdict = document.querySelector('[data-testid="hero-verdict"]')!;
        new MutationObserver(() => seen.push([verdict.getAttribute('data-status'), verdict.textContent ?? ''])).observe(
          verdict,
          { attributes: true, subtree: true, childList: true, characterData: true },
        );
      });
      const start = performance.now();
      await page.getByTestId('run').click();
      const verdict = page.getByTestId('hero-verdict');
      await expect
        .poll(() => verdict.getAttribute('data-status'), { timeout: RUN_TIMEOUT_MS, interval: 100 })
        .toMatch(/so-far|final/);
      await checkFirstScreen('during');
      await expect
        .poll(() => verdict.getAttribute('data-status'), { timeout: RUN_TIMEOUT_MS - since(start) })
        .toBe('final');
      const seen = (await page.evaluate(() => (window as unknown as { verdicts: [string, string][] }).verdicts)) ?? [];
      const soFar = seen.find(([status]) => status === 'so-far');
      expect(soFar?.[1], 'the verdict while the students train').toMatch(/so far/);
      expect(seen.findIndex(([status]) => status === 'final')).toBeGreaterThan(seen.indexOf(soFar!));
      console.log(`run (${RUN_QUERY}) to the final verdict: ${since(start)} ms`);
      const text = (await verdict.textContent()) ?? '';
      expect(text).toMatch(/Same start\s*\d{1,3}(\.\d)?\s?%/);
      expect(text).toMatch(/Different start\s*\d{1,3}(\.\d)?\s?%/);
      expect(text).toMatch(/final/);
      await checkFirstScreen('after');
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it('flipping the switch changes the featured chart: the bold line changes colour', async () => {
    await page.setViewportSize(DESKTOPS[0]!);
    const chart = page.getByTestId('hero-chart');
    const boldStroke = () =>
      chart.evaluate((figure) => {
        const lines = [...figure.querySelectorAll('path.recharts-curve')] as SVGPathElement[];
        const widest = lines.reduce((a, b) =>
          Number(b.getAttribute('stroke-width')) > Number(a.getAttribute('stroke-width')) ? b : a,
        );
        return widest.getAttribute('stroke');
      });
    expect(await chart.getAttribute('data-featured')).toBe('student_aux');
    const before = await boldStroke();
    await page.getByTestId('init-switch').click();
    expect(await chart.getAttribute('data-featured')).toBe('cross_aux');
    const after = await boldStroke();
    expect(after).not.toBe(before);
    await page.getByTestId('init-switch').click();
    expect(await boldStroke()).toBe(before);
  });

  it("a digit drawn on the pad gets the teacher's and both students' guesses", async () => {
    await page.setViewportSize(DESKTOPS[0]!);
    const pad = page.getByTestId('draw-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    // A "1": one stroke down the middle.
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.2 + 0.06 * i));
    await page.mouse.up();
    for (const who of ['teacher', 'student_aux', 'cross_aux']) {
      const guess = page.getByTestId(`draw-guess-${who}`);
      await expect.poll(() => guess.textContent(), { timeout: 10_000 }).toMatch(/\d.*\d{1,3}\s?%/);
    }
  });

  it('after a run: no axe violations', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await checkAxe('after');
  });

  it('logged no console errors or uncaught exceptions', () => {
    expect(errors).toEqual([]);
  });
});
