/**
 * Which test files are `engine` tests (vitest.config.ts): those that start a tfjs backend, train
 * models or run a program as a child process — read from each file's own imports and calls, so a
 * new file lands in the right project without a list to keep. Everything else outside
 * test/browser is a `unit` test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What marks an engine test: the engine's test helpers, tfjs, a backend chosen, a child process. */
const ENGINE_MARKS = [
  /^import (?!type )[^;]*from '(\.\.\/)+support\/(engine|webgpu)'/m,
  /^import (?!type )[^;]*from '(\.\.\/)+src\/experiment\/tf'/m,
  /\bselectBackend\(/,
  /from 'node:child_process'/,
];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return /\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** The engine test files under `root`/test (browser tests aside), as paths relative to `root`. */
export function engineTests(root: string): string[] {
  return testFiles(path.join(root, 'test'))
    .map((file) => path.relative(root, file).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('test/browser/'))
    .filter((file) => {
      const source = readFileSync(path.join(root, file), 'utf8');
      return ENGINE_MARKS.some((mark) => mark.test(source));
    })
    .sort();
}
