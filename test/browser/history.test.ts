/**
 * Nothing lost in the built page (Chromium, wasm): a finished run is kept in IndexedDB, a reload
 * shows it again with the same numbers, marked with when it ran, and lists it under Previous runs
 * (axe-clean); leaving the page while a run is going asks first.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveApp, collectErrors, launchChromium, since, type Served } from './support';

const available = browserAvailable();
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const RUN_QUERY =
  'backend=wasm&preset=tiny&models=2&hidden=16&trainImages=1000&noiseImages=300&studentEpochs=1&curvePoints=2&curveTestImages=200';
const RUN_TIMEOUT_MS = 150_000;

/** axe-core's violations inside one part of the page, as "rule: targets". */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  // Evaluated rather than added as a <script>, so a Content-Security-Policy without inline scripts allows it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (include) => {
    type Axe = { run: (context: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
    const result = await (window as unknown as { axe: Axe }).axe.run({ include: [include] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, selector);
}

describe.skipIf(!available)('nothing lost in the page (Chromium, wasm)', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let verdict = '';

  beforeAll(async () => {
    const start = performance.now();
    served = await serveApp();
    browser = await launchChromium();
    page = await browser.newPage();
    errors = collectErrors(page);
    console.log(`browser set-up (preview, Chromium): ${since(start)} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('keeps a finished run: after a reload it is shown again, marked with when it ran, and listed', async () => {
    await page.goto(`${served.url}/?${RUN_QUERY}`);
    const hero = page.getByTestId('hero-verdict');
    await page.getByTestId('run').click();
    const start = performance.now();
    await expect.poll(() => hero.getAttribute('data-status'), { timeout: RUN_TIMEOUT_MS, interval: 500 }).toBe('final');
    console.log(`tiny run on wasm: ${since(start)} ms`);
    verdict = (await hero.innerText()).trim();
    expect(verdict).toMatch(/\d+(\.\d)?%/);
    expect(await page.getByTestId('restored-note').count()).toBe(0);
    // Saved in the background; the list shows it once the store has it.
    await expect.poll(() => page.getByTestId('previous-run').count(), { timeout: 10_000 }).toBe(1);

    await page.reload();
    await expect.poll(() => hero.getAttribute('data-status'), { timeout: 30_000 }).toBe('final');
    expect((await hero.innerText()).trim()).toBe(verdict);
    const note = page.getByTestId('restored-note');
    expect(await note.innerText()).toMatch(/^Result of the run at .+ — not yet rerun$/);
    await expect.poll(() => page.getByTestId('previous-run').count(), { timeout: 10_000 }).toBe(1);
    const row = page.getByTestId('previous-run').first();
    expect(await row.innerText()).toContain('tiny · models 2');
    expect(await page.getByTestId('storage-notice').count()).toBe(0);
    expect(await axeViolations(page, '[data-testid="previous-runs"]')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('asks before the page is left while a run is going, and not after', async () => {
    // This Chromium shows no beforeunload dialog for page.close({ runBeforeUnload: true }) (tried:
    // none came), but does for a reload, which is the same question: leave this page?
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss(); // "Stay on the page"
    });
    const hero = page.getByTestId('hero-verdict');
    await page.getByTestId('run').click(); // the click is also the user gesture Chromium wants before it asks
    await expect.poll(() => page.getByTestId('restored-note').count(), { timeout: 10_000 }).toBe(0);
    // The new run's first event comes from the worker a moment after the click (longer on a busy machine).
    await expect.poll(() => hero.getAttribute('data-status'), { timeout: 10_000 }).not.toBe('final');
    // The reload is refused by "Stay", so Playwright's wait for it ends in a timeout.
    await page.reload({ timeout: 3_000 }).catch(() => undefined);
    expect(dialogs).toEqual(['beforeunload']);
    // Still the same page, the run going on: it finishes, and is kept.
    await expect.poll(() => hero.getAttribute('data-status'), { timeout: RUN_TIMEOUT_MS, interval: 500 }).toBe('final');
    expect(await page.getByTestId('restored-note').count()).toBe(0);
    await expect.poll(() => page.getByTestId('previous-run').count(), { timeout: 10_000 }).toBe(2);

    // A finished page is left without a question (once the run is over: the "why" follows the verdict).
    await expect.poll(() => page.getByTestId('run').isEnabled(), { timeout: RUN_TIMEOUT_MS }).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('restored-note').count(), { timeout: 30_000 }).toBe(1);
    expect(dialogs).toEqual(['beforeunload']);
    expect(errors).toEqual([]);
  });
});
