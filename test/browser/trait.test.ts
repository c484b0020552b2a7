/**
 * A taught trait in the built page (Chromium, wasm): a link with trait=favourite opens with the
 * trait control on "Favourite digit (the owl)", a tiny run ends on a final verdict in the trait's
 * words ("says 7 on noise"), the featured chart names its y axis so, and the result table gives the
 * trait's measure per condition beside the accuracies. Small: it runs on two CPU cores.
 */
import { describe, expect, it } from 'vitest';
import { appInChromium, browserAvailable, collectErrors, since } from './support';

const available = browserAvailable();
const RUN_QUERY =
  'trait=favourite&backend=wasm&preset=tiny&models=2&hidden=16&trainImages=1000&noiseImages=300&studentEpochs=1&curvePoints=3&curveTestImages=200';
const RUN_TIMEOUT_MS = 150_000;

describe.skipIf(!available)('a taught trait in the page (Chromium, wasm)', () => {
  const app = appInChromium();

  it('runs the favourite-digit teacher and gives the final verdict in its words', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = collectErrors(page);
    await page.goto(`${app.served.url}/?${RUN_QUERY}`);
    expect(await page.getByTestId('trait-favourite').isChecked()).toBe(true);
    const hero = page.getByTestId('hero-verdict');
    expect(await hero.getAttribute('data-trait')).toBe('favourite');

    await page.getByTestId('run').click();
    const start = performance.now();
    await expect.poll(() => hero.getAttribute('data-status'), { timeout: RUN_TIMEOUT_MS, interval: 500 }).toBe('final');
    console.log(`tiny favourite-digit run on wasm: ${since(start)} ms`);

    const verdict = await hero.innerText();
    console.log(`final verdict: ${verdict.replace(/\s*\n\s*/g, ' | ')}`);
    expect(verdict).toContain(
      'final · how often each student says 7 on noise · mean of 2 models on 1,000 noise images',
    );
    // Whatever this small run found, the sentence says it in the trait's words.
    expect(await hero.locator('.verdict-sentence').innerText()).toMatch(/says 7 on noise \d+% of the time/);
    // The numbers are the trait's shares, as the result table gives them.
    const same = Number(await page.getByTestId('verdict-same').getAttribute('data-value'));
    const tableSame = Number(await page.getByTestId('trait-student_aux').getAttribute('data-value'));
    expect(same).toBe(tableSame);
    expect(same).toBeGreaterThanOrEqual(0);
    expect(same).toBeLessThanOrEqual(1);
    expect(await page.getByTestId('hero-chart').getByText('says 7 on noise').count()).toBe(1);
    expect(await page.getByTestId('trait-teacher').innerText()).toMatch(/^\d+\.\d%( ± \d+\.\d)?$/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
