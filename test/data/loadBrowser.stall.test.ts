/**
 * loadMnistFromUrl's stall timeout and its wording of where a bad copy came from (downloaded or
 * this browser's cache). Tiny hand-made MNIST files keep it fast; the stall timeout is set short
 * (stallMs), so nothing here waits the real 20 s.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STALL_MS,
  loadMnistFromUrl,
  MnistDownloadError,
  MnistStallError,
  type LoadMnistFromUrlOptions,
} from '../../src/data/loadBrowser';
import { MNIST_FILES, MNIST_PIXELS, trainShardName } from '../../src/data/mnist';

/** An IDX file of `count` 28×28 images (magic 0x803) or labels (magic 0x801). */
function idx(kind: 'images' | 'labels', count: number): Uint8Array {
  const header = kind === 'images' ? [0x803, count, 28, 28] : [0x801, count];
  const body = kind === 'images' ? count * MNIST_PIXELS : count;
  const bytes = new Uint8Array(header.length * 4 + body);
  const view = new DataView(bytes.buffer);
  header.forEach((v, i) => view.setUint32(i * 4, v, false));
  // Pseudo-random pixels, so the gzipped files are not tiny (the slow-download case needs many chunks).
  let seed = 12345;
  for (let i = header.length * 4; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = (seed >>> 16) % (kind === 'images' ? 256 : 10);
  }
  return bytes;
}

const BASE = '/data';
const url = (name: string) => `${BASE}/${name}.gz`;
const TRAIN_IMAGES = trainShardName('trainImages', 0);
const TRAIN_LABELS = trainShardName('trainLabels', 0);
/** Three images per split, raw, by name: the training set is one shard of three. */
const RAW: Record<string, Uint8Array> = {
  [TRAIN_IMAGES]: idx('images', 3),
  [TRAIN_LABELS]: idx('labels', 3),
  [MNIST_FILES.testImages]: idx('images', 3),
  [MNIST_FILES.testLabels]: idx('labels', 3),
};
/** The same, gzipped, by URL. */
const GOOD: Record<string, Uint8Array> = Object.fromEntries(
  Object.entries(RAW).map(([name, bytes]) => [url(name), gzipSync(bytes)]),
);
/** The loader's layout and digests for these files (the real ones are MNIST's). */
const LAYOUT: LoadMnistFromUrlOptions = {
  shardImages: 3,
  shards: 1,
  digests: Object.fromEntries(
    Object.entries(RAW).map(([name, bytes]) => [
      name,
      { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') },
    ]),
  ),
};

type Behaviour = 'normal' | 'no-response' | 'stall-after-first-chunk';

interface Fake {
  fetch: typeof fetch;
  /** URLs whose request signal was aborted. */
  aborted: Set<string>;
  /** The URL each response answered. */
  urlOf: Map<Response, string>;
}

/**
 * Serves `files` in small chunks, each URL as `behaviour` says: normally, never answering, or
 * sending the first chunk and then nothing (the connection stays open).
 */
function fake(
  files: Record<string, Uint8Array>,
  behaviour: Record<string, Behaviour> = {},
  chunkDelayMs = 0,
  chunkBytes = 64,
): Fake {
  const aborted = new Set<string>();
  const urlOf = new Map<Response, string>();
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const u = String(input);
    init?.signal?.addEventListener('abort', () => aborted.add(u), { once: true });
    const how = behaviour[u] ?? 'normal';
    if (how === 'no-response') return new Promise<Response>(() => undefined);
    const body = files[u]!;
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (how === 'stall-after-first-chunk' && offset > 0) return new Promise<void>(() => undefined);
        if (chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, chunkDelayMs));
        if (offset >= body.length) return controller.close();
        controller.enqueue(body.slice(offset, offset + chunkBytes));
        offset += chunkBytes;
      },
    });
    const response = new Response(stream, { status: 200 });
    urlOf.set(response, u);
    return response;
  };
  return { fetch: fetchFn as typeof fetch, aborted, urlOf };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as Error,
  );

describe('loadMnistFromUrl: stalls', () => {
  it('gives up a body that stops sending, naming the URL and the time, and aborts the other downloads', async () => {
    const stalled = url(MNIST_FILES.testImages);
    const server = fake(GOOD, { [stalled]: 'stall-after-first-chunk' });
    const err = await failure(loadMnistFromUrl(BASE, { ...LAYOUT, fetch: server.fetch, stallMs: 50 }));
    expect(err).toBeInstanceOf(MnistStallError);
    expect(err!.message).toBe(`The MNIST download stalled: no data for 0.05 s from ${stalled}`);
    expect((err as MnistStallError).url).toBe(stalled);
    expect((err as MnistStallError).source).toBe('downloaded');
    // The stalled request itself is aborted, so the connection does not linger.
    expect(server.aborted.has(stalled)).toBe(true);
  });

  it('gives up a request that never gets a response', async () => {
    const silent = url(TRAIN_LABELS);
    const server = fake(GOOD, { [silent]: 'no-response' });
    const err = await failure(loadMnistFromUrl(BASE, { ...LAYOUT, fetch: server.fetch, stallMs: 50 }));
    expect(err).toBeInstanceOf(MnistStallError);
    expect(err!.message).toBe(`The MNIST download stalled: no data for 0.05 s from ${silent}`);
    expect(server.aborted.has(silent)).toBe(true);
  });

  it('is about silence, not total time: a slow download whose chunks keep coming finishes', async () => {
    // Each 16-byte chunk comes 5 ms after the last: the largest file takes far longer than stallMs
    // in all (checked from the sizes, not measured), but no gap comes near it.
    const stallMs = 300;
    const chunks = Math.max(...Object.values(GOOD).map((b) => Math.ceil(b.length / 16)));
    expect(chunks * 5).toBeGreaterThan(2 * stallMs);
    const data = await loadMnistFromUrl(BASE, { ...LAYOUT, fetch: fake(GOOD, {}, 5, 16).fetch, stallMs });
    expect(data.train.count).toBe(3);
    expect(data.test.count).toBe(3);
  });

  it('gives up a trickle: bytes keep coming, but far too few of them', async () => {
    // One byte every 20 ms is 50 B/s, under the 1 KiB/s floor: given up within the first 300 ms of
    // waiting, though no single gap comes near stallMs.
    const trickling = url(MNIST_FILES.testImages);
    const slow = fake(GOOD, {}, 20, 1);
    const server = fake(GOOD);
    const fetchFn = ((input: RequestInfo | URL, init?: RequestInit) =>
      (String(input) === trickling ? slow : server).fetch(input, init)) as typeof fetch;
    const err = await failure(loadMnistFromUrl(BASE, { ...LAYOUT, fetch: fetchFn, stallMs: 300 }));
    expect(err).toBeInstanceOf(MnistStallError);
    expect(err!.message).toMatch(
      new RegExp(`^The MNIST download stalled: only \\d+ bytes in 0\\.3 s from ${trickling.replace(/\./g, '\\.')}$`),
    );
    expect(slow.aborted.has(trickling)).toBe(true);
  });

  it('says 20 s by default, and a cached copy that stalls is not called a download', () => {
    expect(DEFAULT_STALL_MS).toBe(20_000);
    expect(new MnistStallError('https://x.test/data/a.gz', DEFAULT_STALL_MS).message).toBe(
      'The MNIST download stalled: no data for 20 s from https://x.test/data/a.gz',
    );
    expect(new MnistStallError('/data/a.gz', 20_000, 'cached').message).toBe(
      'Reading the copy of /data/a.gz cached in this browser stalled: no data for 20 s',
    );
  });

  it('a cancel during a stall rejects with the cancel reason, not a stall', async () => {
    const ac = new AbortController();
    const server = fake(GOOD, { [url(TRAIN_IMAGES)]: 'stall-after-first-chunk' });
    const pending = failure(
      loadMnistFromUrl(BASE, { ...LAYOUT, fetch: server.fetch, stallMs: 60_000, signal: ac.signal }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    ac.abort(new Error('cancelled by the user'));
    const err = await pending;
    expect(err).not.toBeInstanceOf(MnistDownloadError);
    expect(err!.message).toBe('cancelled by the user');
  });
});

describe('loadMnistFromUrl: cached or downloaded', () => {
  const corruptGzip = () => {
    const files = { ...GOOD };
    const bad = Uint8Array.from(gzipSync(idx('labels', 3)));
    bad.fill(0xaa, 10); // the gzip magic stays, the deflate stream is garbage
    files[url(MNIST_FILES.testLabels)] = bad;
    return files;
  };
  const truncatedIdx = () => ({ ...GOOD, [url(TRAIN_LABELS)]: gzipSync(idx('labels', 3).subarray(0, 6)) });

  it('a broken download says it was downloaded', async () => {
    const err = await failure(
      loadMnistFromUrl(BASE, { ...LAYOUT, fetch: fake(corruptGzip()).fetch, isCached: () => false }),
    );
    expect(err).toBeInstanceOf(MnistDownloadError);
    expect((err as MnistDownloadError).source).toBe('downloaded');
    expect(err!.message).toMatch(
      new RegExp(`^The file downloaded from ${url(MNIST_FILES.testLabels)} is broken: not valid gzip \\(`),
    );
  });

  it('a broken cached copy says it came from this browser’s cache', async () => {
    const err = await failure(
      loadMnistFromUrl(BASE, { ...LAYOUT, fetch: fake(corruptGzip()).fetch, isCached: () => true }),
    );
    expect(err).toBeInstanceOf(MnistDownloadError);
    expect((err as MnistDownloadError).source).toBe('cached');
    expect(err!.message).toMatch(
      new RegExp(`^The copy of ${url(MNIST_FILES.testLabels)} cached in this browser is broken: not valid gzip \\(`),
    );
    expect(err!.message).not.toMatch(/download/);
  });

  it('an invalid MNIST file is named by URL, with its source, cached or not', async () => {
    const downloaded = await failure(loadMnistFromUrl(BASE, { ...LAYOUT, fetch: fake(truncatedIdx()).fetch }));
    expect(downloaded!.message).toMatch(
      new RegExp(
        `^The file downloaded from ${url(TRAIN_LABELS)} is broken: not a valid MNIST file \\(${TRAIN_LABELS}: `,
      ),
    );
    // Only the bad file is a cached copy: its own source is named, not the others'.
    const server = fake(truncatedIdx());
    const isCached = (res: Response) => server.urlOf.get(res) === url(TRAIN_LABELS);
    const cached = await failure(loadMnistFromUrl(BASE, { ...LAYOUT, fetch: server.fetch, isCached }));
    expect(cached!.message).toMatch(
      new RegExp(`^The copy of ${url(TRAIN_LABELS)} cached in this browser is broken: not a valid MNIST file`),
    );
  });
});
