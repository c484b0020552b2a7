/**
 * The committed CPU kernel (src/experiment/step/simd/step.wasm) is what its AssemblyScript source
 * compiles to: `npm run build:kernel`'s command, run into a temporary file, gives the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

it('step.wasm is the compiled assembly/step.ts (rebuild with npm run build:kernel)', () => {
  const script = packageJson.scripts['build:kernel'];
  const args = script.split(/\s+/);
  expect(args[0]).toBe('asc');
  const committed = 'src/experiment/step/simd/step.wasm';
  const out = args.indexOf('-o');
  expect(args[out + 1]).toBe(committed);
  const dir = mkdtempSync(join(tmpdir(), 'kernel-'));
  try {
    const fresh = join(dir, 'step.wasm');
    args[out + 1] = fresh;
    execFileSync(join('node_modules', '.bin', 'asc'), args.slice(1), { stdio: 'pipe' });
    expect(
      Buffer.compare(readFileSync(fresh), readFileSync(committed)),
      'step.wasm is stale: run npm run build:kernel',
    ).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
