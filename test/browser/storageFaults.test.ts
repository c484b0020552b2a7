/**
 * Storage faults in the built page (Chromium, wasm), each in a fresh browser context: an IndexedDB
 * whose open never answers, another tab that opens the store at a newer version (keeping or removing
 * the runs), and the malformed stored records of issue 19 (all in one store). The page always
 * starts, names the fault and keeps working.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readRecord } from '../../src/ui/history/recordSchema';
import { DB_NAME, DB_VERSION } from '../../src/ui/history/store';
import { saved } from '../support/ui/records';
import { MALFORMED, malformed } from '../ui/history/malformed';
import { appInChromium, browserAvailable, collectErrors, since } from './support';

const available = browserAvailable();
const RUN_QUERY =
  'backend=wasm&preset=tiny&models=2&hidden=16&trainImages=1000&noiseImages=300&studentEpochs=1&curvePoints=2&curveTestImages=200';
const RUN_TIMEOUT_MS = 150_000;
/** A same-origin address that is not the app, to touch the origin's IndexedDB before the app loads. */
const NOT_THE_APP = 'manifest.webmanifest';

/** A good stored run as JSON carries it into the page (it must stay good on the way). */
const GOOD = JSON.parse(JSON.stringify(saved(1, Date.now() - 60_000, 2))) as ReturnType<typeof saved>;

/** Puts records into the origin's store as another program could (creating it as the page would). */
async function seed(page: Page, records: unknown[]): Promise<void> {
  await page.evaluate(
    async ({ name, version, records }) => {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name, version);
        request.onupgradeneeded = () =>
          request.result
            .createObjectStore('runs', { keyPath: 'id', autoIncrement: true })
            .createIndex('ranAt', 'ranAt');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('runs', 'readwrite');
          for (const record of records) tx.objectStore('runs').put(record);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
    },
    { name: DB_NAME, version: DB_VERSION, records },
  );
}

/** Presses Run and waits for the final verdict. */
async function runToTheEnd(page: Page): Promise<void> {
  const start = performance.now();
  await page.getByTestId('run').click();
  await expect
    .poll(() => page.getByTestId('hero-verdict').getAttribute('data-status'), {
      timeout: RUN_TIMEOUT_MS,
      interval: 500,
    })
    .toBe('final');
  console.log(`tiny run on wasm: ${since(start)} ms`);
}

const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).count()) === 0 ? null : (await page.getByTestId(testId).innerText()).trim();

describe.skipIf(!available)('storage faults are named, never silent (Chromium, wasm)', () => {
  const app = appInChromium();
  let context: BrowserContext;

  /** A fresh profile (its own IndexedDB) and a page in it, with its errors collected. */
  async function freshPage(): Promise<{ page: Page; errors: string[] }> {
    await context?.close();
    context = await app.browser.newContext();
    const page = await context.newPage();
    return { page, errors: collectErrors(page) };
  }

  it('an open that never answers: a notice says runs are not being saved, and the page runs', async () => {
    const { page, errors } = await freshPage();
    await page.addInitScript(() => {
      // An open request whose events never fire.
      IDBFactory.prototype.open = () =>
        Object.assign(Object.create(IDBOpenDBRequest.prototype) as IDBOpenDBRequest, {
          addEventListener() {},
          removeEventListener() {},
        });
    });
    await page.goto(`${app.served.url}/?${RUN_QUERY}`);
    await expect.poll(() => text(page, 'storage-notice'), { timeout: 20_000 }).toMatch(/^Runs are not being saved/);
    await runToTheEnd(page);
    expect(await text(page, 'hero-verdict')).toMatch(/\d+(\.\d)?%/);
    expect(await text(page, 'storage-notice')).toMatch(/^Runs are not being saved/);
    expect(errors).toEqual([]);
  });

  it('another tab opens the store at a newer version: this tab reopens it and keeps saving', async () => {
    const { page, errors } = await freshPage();
    await page.goto(`${app.served.url}/?${RUN_QUERY}`);
    await expect.poll(() => page.getByText('No saved runs yet').count(), { timeout: 20_000 }).toBe(1);
    // "Another tab" (a newer page) opens the database at the next version, keeping the runs, and stays
    // open, letting go only when a still newer version asks (as a page should: without that, the
    // newer page below waited until the connection was garbage-collected, some 25 s).
    const other = await context.newPage();
    await other.goto(`${app.served.url}/${NOT_THE_APP}`);
    const blocked = await other.evaluate(
      ({ name, version }) =>
        new Promise<boolean>((resolve, reject) => {
          let wasBlocked = false;
          const request = indexedDB.open(name, version);
          request.onblocked = () => (wasBlocked = true);
          request.onsuccess = () => {
            const db = request.result; // left open, as a tab holds it
            db.onversionchange = () => db.close();
            resolve(wasBlocked);
          };
          request.onerror = () => reject(request.error);
        }),
      { name: DB_NAME, version: DB_VERSION + 1 },
    );
    expect(blocked).toBe(false); // this tab let go at once
    await runToTheEnd(page);
    await expect.poll(() => page.getByTestId('previous-run').count(), { timeout: 10_000 }).toBe(1);
    expect(await text(page, 'storage-notice')).toBeNull();
    await page.reload();
    await expect.poll(() => page.getByTestId('restored-note').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('previous-run').count()).toBe(1);

    // A newer page that removes the runs altogether is named as such, and this tab still starts.
    await other.evaluate(
      ({ name, version }) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open(name, version);
          request.onupgradeneeded = () => request.result.deleteObjectStore('runs');
          request.onsuccess = () => resolve();
          request.onerror = () => reject(request.error);
        }),
      { name: DB_NAME, version: DB_VERSION + 2 },
    );
    await page.reload();
    await expect
      .poll(() => text(page, 'storage-notice'), { timeout: 20_000 })
      .toMatch(/a newer version of this page, open in another tab, changed how they are stored/);
    expect(await text(page, 'storage-notice')).not.toMatch(/private browsing/);
    expect(errors).toEqual([]);
  });

  // All the malformed shapes in one store (one page, not one per shape): the page starts, shows the
  // good run, and lists every bad one to export or delete.
  it(`stored records with ${Object.keys(MALFORMED).join(', ')}: the page starts and lists each to export or delete`, async () => {
    const shapes = Object.keys(MALFORMED);
    const bad = shapes.map((shape, i) => JSON.parse(JSON.stringify(malformed(saved(2 + i, Date.now(), 2), shape))));
    for (const [i, record] of bad.entries()) expect('problem' in readRecord(record), shapes[i]).toBe(true);
    expect(readRecord(GOOD)).toEqual({ run: GOOD });
    const { page, errors } = await freshPage();
    await page.goto(`${app.served.url}/${NOT_THE_APP}`);
    await seed(page, [GOOD, ...bad]);

    await page.goto(`${app.served.url}/`);
    // The good run is shown again (though the bad ones are newer), the bad ones listed apart.
    await expect
      .poll(() => page.getByTestId('hero-verdict').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('final');
    await expect
      .poll(() => text(page, 'unreadable-runs'), { timeout: 10_000 })
      .toMatch(new RegExp(`^${shapes.length} saved runs could not be read`));
    const problems = await page.getByTestId('unreadable-run').allInnerTexts();
    console.log(`unreadable records:\n  ${problems.join('\n  ')}`);
    expect(problems).toHaveLength(shapes.length);
    expect(await page.getByTestId('restored-note').count()).toBe(1);
    expect(await page.getByTestId('previous-run').count()).toBe(1);
    expect(await page.getByText('could not recover').count()).toBe(0);

    for (let left = shapes.length; left > 0; left--) {
      if (left === 1) expect(await text(page, 'unreadable-runs')).toMatch(/^1 saved run could not be read/);
      await page.getByRole('button', { name: 'Delete it (the saved run 1 that could not be read)' }).click();
      await expect.poll(() => page.getByTestId('unreadable-run').count(), { timeout: 10_000 }).toBe(left - 1);
    }
    expect(await page.getByTestId('unreadable-runs').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId('previous-run').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('unreadable-runs').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
