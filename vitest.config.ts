import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Training is CPU-bound; files run one at a time so timings stay sane on 2 cores.
    fileParallelism: false,
    reporters: ['default'],
  },
});
