/**
 * Renders the app's PNG icons (public/icons/, listed in public/manifest.webmanifest) from an SVG
 * design in keeping with public/favicon.svg: a white "7" on the accent purple. The "7" is drawn as
 * a path, not text, so the result does not depend on the fonts of the machine that renders it.
 *
 *   npx tsx scripts/render-icons.ts
 *
 * Uses Debian's Chromium through playwright-core (CHROMIUM_PATH to use another); the PNGs are
 * committed, so neither a build nor the tests need to run this.
 *
 * - icon-192.png, icon-512.png (purpose "any"): the favicon's rounded square, transparent corners.
 * - icon-maskable-512.png (purpose "maskable"): the purple fills the whole square (the platform
 *   cuts its own shape out of it) and the "7" stays well inside the safe zone, the centred circle
 *   of radius 40% that every mask keeps.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'public/icons');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ACCENT = '#4b3fbf';

/** The "7" on a 512 × 512 canvas: a top bar and a diagonal stroke, centred on (256, 256). */
const SEVEN = `<path d="M168 160 H344 L236 376" fill="none" stroke="#fff" stroke-width="46" stroke-linejoin="miter" stroke-miterlimit="4"/>`;

function design(maskable: boolean): string {
  const background = maskable
    ? `<rect width="512" height="512" fill="${ACCENT}"/>`
    : `<rect width="512" height="512" rx="96" fill="${ACCENT}"/>`;
  // Maskable: 80% of the size, so the glyph's far corners stay within 40% of the centre.
  const glyph = maskable ? `<g transform="translate(256 256) scale(0.8) translate(-256 -256)">${SEVEN}</g>` : SEVEN;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${background}${glyph}</svg>`;
}

const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
];

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
    const svg = design(icon.maskable).replace('<svg ', `<svg width="${icon.size}" height="${icon.size}" `);
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(OUT, icon.file), omitBackground: true });
    await page.close();
    console.log(`wrote public/icons/${icon.file} (${icon.size}×${icon.size}${icon.maskable ? ', maskable' : ''})`);
  }
} finally {
  await browser.close();
}
