/**
 * MNIST in the engine worker, with a fake loader, fetch and CacheStorage: one load at a time, more
 * shards when a run needs more, a broken copy deleted and the retry past the HTTP cache, the
 * page's sentences for failures, and where the files are served from.
 */
import { describe, expect, it } from 'vitest';
import { MnistDownloadError, MnistStallError, type loadMnistFromUrl } from '../../src/data/loadBrowser';
import type { MnistData } from '../../src/data/mnist';
import { DATA_CACHE, dataFailure, dataUrl, MnistCache } from '../../src/worker/mnistCache';
import type { FromWorker } from '../../src/worker/protocol';

const URL_BASE = 'https://example.org/app/data';

/** The Cache API, in memory: enough of it for the worker (match, put, delete; open, keys, delete). */
class FakeCache {
  readonly stored = new Map<string, Response>();
  async match(request: Request) {
    return this.stored.get(request.url)?.clone();
  }
  async put(request: Request, response: Response) {
    this.stored.set(request.url, response);
  }
  async delete(url: string) {
    return this.stored.delete(url);
  }
}

class FakeStorage {
  readonly caches = new Map<string, FakeCache>();
  async open(name: string) {
    if (!this.caches.has(name)) this.caches.set(name, new FakeCache());
    return this.caches.get(name)!;
  }
  async keys() {
    return [...this.caches.keys()];
  }
  async delete(name: string) {
    return this.caches.delete(name);
  }
}

const dataWith = (count: number) => ({ train: { count } }) as unknown as MnistData;
type LoadOptions = NonNullable<Parameters<typeof loadMnistFromUrl>[1]>;

/** A cache whose loader is `load` (by default: data with the images asked for, a macrotask later). */
function setup(load?: (url: string, options: LoadOptions) => Promise<MnistData>) {
  const posted: FromWorker[] = [];
  const storage = new FakeStorage();
  const loads: LoadOptions[] = [];
  const fetched: { url: string; init?: RequestInit }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    fetched.push({ url: input instanceof Request ? input.url : String(input), init });
    return new Response('gzip bytes', { status: 200 });
  };
  const cache = new MnistCache({
    post: (message) => posted.push(message),
    url: URL_BASE,
    caches: () => storage as unknown as CacheStorage,
    fetch,
    load: async (url, options = {}) => {
      loads.push(options);
      if (load) return load(url, options);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return dataWith(options.trainImages ?? 60_000);
    },
  });
  return { cache, posted, storage, loads, fetched };
}

describe('MnistCache', () => {
  it('loads once for calls that come while it loads, and again only for more training images', async () => {
    const { cache, posted, loads } = setup();
    const [a, b] = await Promise.all([cache.ensure(10_000), cache.ensure()]);
    expect(a).toBe(b);
    expect(await cache.ensure(5_000)).toBe(a);
    const more = await cache.ensure(30_000);
    expect(loads.map((options) => options.trainImages)).toEqual([10_000, 30_000]);
    // The second load keeps what the first brought.
    expect(loads[1].have).toBe(a);
    expect(more.train.count).toBe(30_000);
    expect(cache.current).toBe(more);
    expect(posted).toEqual([{ type: 'data-ready' }, { type: 'data-ready' }]);
  });

  it('a call with no count asks for what was last prepared', async () => {
    const { cache, loads } = setup();
    await cache.ensure(20_000);
    await cache.ensure();
    expect(loads.map((options) => options.trainImages)).toEqual([20_000]);
  });

  it('answers a second fetch of a file from the data cache, and says the copy was cached', async () => {
    const seen: { cached: boolean; text: string }[] = [];
    const { cache, fetched, storage } = setup(async (url, options) => {
      for (let i = 0; i < 2; i++) {
        const response = await options.fetch!(`${url}/train-0.gz`);
        seen.push({ cached: options.isCached!(response), text: await response.text() });
      }
      return dataWith(1);
    });
    await cache.ensure(1);
    expect(fetched.map((call) => call.url)).toEqual([`${URL_BASE}/train-0.gz`]);
    expect(seen).toEqual([
      { cached: false, text: 'gzip bytes' },
      { cached: true, text: 'gzip bytes' },
    ]);
    expect([...storage.caches.keys()]).toEqual([DATA_CACHE]);
  });
});

describe('MnistCache after a failure, while loading, and on configure', () => {
  it('a failed file is deleted from the cache, reported, and the retry downloads past the HTTP cache', async () => {
    const broken = `${URL_BASE}/train-0.gz`;
    let fail = true;
    const { cache, posted, storage, fetched } = setup(async (url, options) => {
      await options.fetch!(`${url}/test.gz`);
      const response = await options.fetch!(broken);
      await response.text();
      if (fail) throw new MnistDownloadError(broken, 'its SHA-256 is wrong');
      return dataWith(1);
    });
    await expect(cache.ensure(1)).rejects.toThrow('its SHA-256 is wrong');
    const stored = storage.caches.get(DATA_CACHE)!.stored;
    // The good file stays; the broken one is gone.
    expect([...stored.keys()]).toEqual([`${URL_BASE}/test.gz`]);
    expect(posted).toEqual([
      { type: 'data-failed', reason: dataFailure(new MnistDownloadError(broken, 'its SHA-256 is wrong')) },
    ]);
    fail = false;
    await cache.ensure(1);
    expect(fetched.map((call) => [call.url, call.init?.cache])).toEqual([
      [`${URL_BASE}/test.gz`, undefined],
      [broken, undefined],
      [broken, 'reload'],
    ]);
    expect(posted.at(-1)).toEqual({ type: 'data-ready' });
  });

  it('passes on at most one progress message per 100 ms, and always the last', async () => {
    let time = 0;
    const posted: FromWorker[] = [];
    const cache = new MnistCache({
      post: (message) => posted.push(message),
      url: URL_BASE,
      caches: () => undefined,
      now: () => time,
      load: async (_url, options = {}) => {
        for (const [at, bytes] of [
          [100, 10],
          [150, 20],
          [199, 30],
          [250, 40],
          [260, 50],
        ]) {
          time = at;
          options.onProgress!(bytes, 50);
        }
        return dataWith(1);
      },
    });
    await cache.ensure(1);
    expect(posted).toEqual([
      { type: 'data-progress', loadedBytes: 10, totalBytes: 50 },
      { type: 'data-progress', loadedBytes: 40, totalBytes: 50 },
      { type: 'data-progress', loadedBytes: 50, totalBytes: 50 },
      { type: 'data-ready' },
    ]);
  });

  it("takes the harness's stall timeout, ignores a bad one, and drops the older layout's cache", async () => {
    const { cache, loads, storage } = setup();
    await storage.open('subliminal-mnist-v1');
    await storage.open(DATA_CACHE);
    cache.configure({ stallMs: -5 });
    await cache.ensure(1);
    cache.configure({ stallMs: 250 });
    await cache.ensure(2);
    expect(loads.map((options) => options.stallMs)).toEqual([20_000, 250]);
    expect([...storage.caches.keys()]).toEqual([DATA_CACHE]);
  });
});

describe("the page's sentence for a failed load", () => {
  it('says how to go on: Retry for a stall, a fresh download for a broken cached copy', () => {
    const url = `${URL_BASE}/test.gz`;
    expect(dataFailure(new MnistStallError(url, 20_000))).toBe(
      `The MNIST download stalled: no data for 20 s from ${url}. Retry when the connection is back.`,
    );
    expect(dataFailure(new MnistDownloadError(url, 'bad gzip', { source: 'cached' }))).toBe(
      `The copy of ${url} cached in this browser is broken: bad gzip. The broken copy was deleted from this browser: Retry downloads a fresh one.`,
    );
    expect(dataFailure(new MnistDownloadError(url, 'HTTP 404'))).toBe(`Could not download ${url}: HTTP 404`);
    expect(dataFailure(new TypeError('out of memory'))).toBe('MNIST could not be loaded: out of memory');
  });
});

describe('where the MNIST files are served from', () => {
  it("a relative base: the data folder beside the build's assets folder, wherever the build lies", () => {
    expect(dataUrl('./', 'https://example.org/some/where/assets/engine.worker-abc.js')).toBe(
      'https://example.org/some/where/data',
    );
    expect(dataUrl('', 'file:///home/me/dist/assets/engine.worker.js')).toBe('file:///home/me/dist/data');
  });

  it('an absolute base: from the origin, as given', () => {
    expect(dataUrl('/', 'http://localhost:5173/src/worker/engine.worker.ts?worker_file')).toBe(
      'http://localhost:5173/data',
    );
    expect(dataUrl('/x/', 'https://example.org/x/assets/engine.worker.js')).toBe('https://example.org/x/data');
  });
});
