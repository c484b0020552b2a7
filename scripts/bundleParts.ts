/** Pure parts of the bundle script (scripts/bundle.ts): which worker files to bundle, and its README. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Worker entries: every `new URL('./name.ts', import.meta.url)` that a command-line module hands to
 * a worker. Found by reading the sources, so a renamed or added worker is bundled without editing
 * this script. Returns paths relative to `root`, sorted.
 */
export function findWorkerEntries(root: string, dirs: readonly string[]): string[] {
  const found = new Set<string>();
  for (const dir of dirs) {
    for (const name of readdirSync(join(root, dir)).filter((file) => file.endsWith('.ts'))) {
      for (const target of workerUrls(readFileSync(join(root, dir, name), 'utf8'))) found.add(join(dir, target));
    }
  }
  return [...found].sort();
}

/** The `./x.ts` of each `new URL('./x.ts', import.meta.url)` in a source text. */
export function workerUrls(source: string): string[] {
  const pattern = /new URL\(\s*['"]\.\/([\w.-]+\.ts)['"]\s*,\s*import\.meta\.url\s*\)/g;
  return [...source.matchAll(pattern)].map((match) => match[1]);
}

export function bundleReadme(options: { withNode: boolean; packed?: boolean; workers: string[] }): string {
  const node = options.withNode ? './node' : 'node';
  const unpack = options.packed
    ? `\nFirst unpack the compressed binaries (scripts/gpu-check.sh does it itself):\n  xz -d ${options.withNode ? 'node.xz ' : ''}dist/linux-x64/dawn.node.xz\n`
    : '';
  return `Subliminal learning in an MNIST MLP: the command line, self-contained.
Needs only Node.js 20 or later${options.withNode ? ' (a Linux x64 one is included here as ./node)' : ''}; no npm install, no network.
${unpack}
Run (from this folder or any other):
  ${node} subliminal.mjs --preset quick --out results.json
  ${node} subliminal.mjs --preset paper --models 100 --backend webgpu --out paper.json
  ${node} subliminal.mjs --help            every setting and its range
  ${node} bench.mjs --backend webgpu --sizes 1,10,100 --out bench.json
Shard a run across machines, then merge the parts into the unsharded result:
  ${node} subliminal.mjs --preset paper --models 100 --shard 1/4 --out part-1.json   (and 2/4 … 4/4)
  ${node} merge.mjs part-*.json --out paper.json

Files: subliminal.mjs, bench.mjs and merge.mjs (the programs), ${options.workers.map((w) => `${w}.mjs`).join(', ')} (their
worker threads), *.wasm (the CPU engine), dist/linux-x64/dawn.node (WebGPU through Dawn, Linux x64;
a GPU needs the Vulkan loader libvulkan.so.1 and the vendor's Vulkan driver), mnist/ (the data).
Keep the files together.
`;
}
