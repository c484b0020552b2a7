/**
 * The app's production build for the browser tests: what `npm run build` makes, plus the
 * engine-worker harness page (harness.html), in a fresh temporary folder. Made once per run, by
 * the browser project's global set-up (globalSetup.ts).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The harness page as an extra HTML entry: served at /test/browser/harness.html. */
export const HARNESS_INPUT = { harness: path.join(ROOT, 'test/browser/harness.html') };

const BUILD_PREFIX = 'subliminal-browser-';

/** Builds the app as `npm run build` does (plus any extra HTML entries) and returns the folder. */
export async function buildApp(extraInputs: Record<string, string> = {}): Promise<string> {
  removeStaleBuilds();
  const outDir = mkdtempSync(path.join(tmpdir(), BUILD_PREFIX));
  const input = { main: path.join(ROOT, 'index.html'), ...extraInputs };
  // Vitest sets NODE_ENV=test, which would make Vite build with import.meta.env.PROD false (no
  // service worker) and bundle React's development build: build as `npm run build` does.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: ROOT,
      configFile: path.join(ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, rollupOptions: { input } },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

/** Builds left behind by runs that were killed before their teardown (an hour old: no run lasts that long). */
function removeStaleBuilds(): void {
  for (const name of readdirSync(tmpdir())) {
    const dir = path.join(tmpdir(), name);
    if (name.startsWith(BUILD_PREFIX) && Date.now() - statSync(dir).mtimeMs > 3_600_000)
      rmSync(dir, { recursive: true, force: true });
  }
}
