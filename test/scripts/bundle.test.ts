/**
 * `npm run bundle` makes a folder that runs with nothing but node: built into a temp dir, copied
 * where no node_modules is above it, and run there on the smallest useful experiment.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { ExperimentResult } from '../../src/experiment/results';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'bundle-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The nearest node_modules at or above `dir`, if any. */
function nodeModulesAbove(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return join(d, 'node_modules');
    if (dirname(d) === d) return null;
  }
}

it('runs the tiny experiment from a copy with no node_modules', () => {
  const built = join(work, 'built');
  execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bundle.ts', '--out', built], {
    cwd: root,
    stdio: 'pipe',
  });
  const files = readdirSync(built);
  for (const name of ['subliminal.mjs', 'bench.mjs', 'merge.mjs', 'README.txt', 'tfjs-backend-wasm-simd.wasm'])
    expect(files).toContain(name);
  expect(files.some((name) => name.endsWith('.worker.mjs') || name.endsWith('Worker.mjs'))).toBe(true);
  // The `webgpu` package ships the addon for linux-x64 (the GPU boxes'), whatever this machine is.
  expect(existsSync(join(built, 'dist/linux-x64/dawn.node'))).toBe(true);

  const copy = join(work, 'copy');
  cpSync(built, copy, { recursive: true });
  expect(nodeModulesAbove(copy)).toBeNull();
  const out = join(copy, 'r.json');
  // NODE_PATH cleared: nothing may come from the project's packages. Fewer noise images and no
  // curves keep it short; the teacher still sees tiny's 4,000 digits.
  const flags = [
    '--preset',
    'tiny',
    '--models',
    '1',
    '--noise-images',
    '1000',
    '--curve-points',
    '0',
    '--quiet',
    '--out',
    out,
  ];
  execFileSync(process.execPath, ['subliminal.mjs', ...flags], {
    cwd: copy,
    env: { ...process.env, NODE_PATH: '' },
    stdio: 'pipe',
  });
  const result = JSON.parse(readFileSync(out, 'utf8')) as ExperimentResult;
  expect(result.config.models).toBe(1);
  for (const condition of Object.values(result.conditions)) {
    expect(condition.accuracies).toHaveLength(1);
    expect(condition.mean).toBeGreaterThanOrEqual(0);
    expect(condition.mean).toBeLessThanOrEqual(1);
  }
  // The tiny teacher reaches ≈ 0.83; the untrained reference is at chance.
  expect(result.conditions.teacher.mean).toBeGreaterThan(0.6);
  expect(result.conditions.reference.mean).toBeLessThan(0.2);
  expect(result.conditions.student_all.mean).toBeGreaterThan(result.conditions.reference.mean);
}, 120_000);
