/**
 * The committed CPU kernels (src/experiment/step/simd/step.wasm and step.relaxed.wasm) are what
 * their AssemblyScript source compiles to: each of `npm run build:kernel`'s commands, run into a
 * temporary file, gives the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, it } from 'vitest';

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const commands = packageJson.scripts['build:kernel'].split('&&').map((command) => command.trim().split(/\s+/));

it('build:kernel builds both kernels: plain SIMD and relaxed SIMD', () => {
  const outputs = commands.map((args) => args[args.indexOf('-o') + 1]);
  expect(outputs).toEqual(['src/experiment/step/simd/step.wasm', 'src/experiment/step/simd/step.relaxed.wasm']);
  expect(commands[1]).toContain('relaxed-simd');
  expect(commands[0]).not.toContain('relaxed-simd');
});

for (const args of commands) {
  const committed = args[args.indexOf('-o') + 1];
  it(`${basename(committed)} is the compiled assembly/step.ts (rebuild with npm run build:kernel)`, () => {
    expect(args[0]).toBe('asc');
    const dir = mkdtempSync(join(tmpdir(), 'kernel-'));
    try {
      const fresh = join(dir, basename(committed));
      const rebuilt = [...args];
      rebuilt[args.indexOf('-o') + 1] = fresh;
      execFileSync(join('node_modules', '.bin', 'asc'), rebuilt.slice(1), { stdio: 'pipe' });
      expect(
        Buffer.compare(readFileSync(fresh), readFileSync(committed)),
        `${basename(committed)} is stale: run npm run build:kernel`,
      ).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
