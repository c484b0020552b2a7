/**
 * How the command line is compiled to JavaScript with esbuild: for `npm run bundle`
 * (scripts/bundle.ts) and for the worker threads of `npm run experiment` (compiledWorkers.ts).
 * Never part of a bundle itself: only the TypeScript entry points (threads.ts, the bundle script)
 * reach it.
 */
import type { BuildOptions } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/**
 * CommonJS parts of tfjs (the wasm backend's Node build) call require() and read __dirname: the
 * wasm backend looks for its .wasm files in __dirname, which is the output folder. The names are
 * the banner's own (via `define`), since ESM modules inside may declare a __dirname too.
 */
const BANNER = `import { createRequire as __bundleCreateRequire } from 'node:module';
import { fileURLToPath as __bundleFileURLToPath } from 'node:url';
import { dirname as __bundleDirnameOf } from 'node:path';
const require = __bundleCreateRequire(import.meta.url);
const __bundleFilename = __bundleFileURLToPath(import.meta.url);
const __bundleDirname = __bundleDirnameOf(__bundleFilename);`;

/** The options every compiled form of the command line shares: ESM for Node 20, names kept. */
export const CLI_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  outExtension: { '.js': '.mjs' },
  // Whitespace and syntax only: names stay, so a stack trace can still be read.
  minifyWhitespace: true,
  minifySyntax: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The page-only wasm path module imports files with Vite's `?url`; the CLI never loads it.
  external: ['*?url'],
  banner: { js: BANNER },
  define: { __dirname: '__bundleDirname', __filename: '__bundleFilename' },
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * The wasm files compiled code loads from its own folder: tfjs's wasm builds (the backend looks
 * in its script directory) and the CPU kernel's (`new URL('./x.wasm', import.meta.url)` names a
 * sibling of the compiled file), each copied flat into `out`. Returns the kernel's files.
 */
export function copyRuntimeWasm(root: string, out: string): string[] {
  const require = createRequire(join(root, 'package.json'));
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(wasmDist).filter((name) => name.endsWith('.wasm')))
    copyFileSync(join(wasmDist, file), join(out, file));
  const kernelWasm = walk(join(root, 'src/experiment/step')).filter((file) => file.endsWith('.wasm'));
  for (const file of kernelWasm) copyFileSync(file, join(out, basename(file)));
  return kernelWasm;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
