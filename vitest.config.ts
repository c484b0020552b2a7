import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { engineTests } from './test/support/projects';

const TESTS = ['test/**/*.test.ts', 'test/**/*.test.tsx'];
const BROWSER_TESTS = ['test/browser/**/*.test.ts'];
const ENGINE_TESTS = engineTests(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Three projects, run one after another (sequence.groupOrder): `unit` (pure and quick, two files
 * at a time), then `engine` (trains models, tfjs backends, WebGPU in Node) and `browser` (the
 * built app in Chromium), each one file at a time so the CPU-bound files do not fight for two
 * cores. `npm run test:unit` is the fast loop.
 */
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: TESTS,
          exclude: [...ENGINE_TESTS, ...BROWSER_TESTS],
          // Vitest's default on two cores is one worker (cores − 1).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'engine', include: ENGINE_TESTS, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER_TESTS,
          // One Vite build of the app (and the worker harness) for every browser test file.
          globalSetup: ['test/browser/globalSetup.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
