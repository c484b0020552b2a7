/**
 * The browser project's global set-up: one Vite build of the app (as `npm run build` makes it,
 * plus the engine-worker harness page) for every browser test file of a run, made once before
 * the first file and removed after the last. Files find its folder with inject('browserBuild').
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildApp, HARNESS_INPUT } from './build';
import { browserAvailable } from './chromium';

export default async function setup(project: TestProject): Promise<() => void> {
  // Without Chromium the files skip themselves (or, under CI, browserAvailable throws): no build.
  if (!browserAvailable()) {
    project.provide('browserBuild', '');
    return () => undefined;
  }
  const start = performance.now();
  const outDir = await buildApp(HARNESS_INPUT);
  console.log(`browser tests: the app built once, in ${Math.round(performance.now() - start)} ms`);
  project.provide('browserBuild', outDir);
  return () => rmSync(outDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared build's folder ('' where Chromium is missing and the browser tests skip). */
    browserBuild: string;
  }
}
