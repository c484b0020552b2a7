/**
 * MNIST in the engine worker: the test set and the training shards a run needs, downloaded once
 * and kept in the Cache API (not by the service worker, which never sees the first visit's
 * downloads: they start before it controls the page). The files never change, so the cache is
 * not versioned with the app; public/sw.js leaves it alone.
 *
 * A download that sends nothing (or a trickle) for 20 s is given up (data-failed, saying so),
 * never waited on; only the test harness shortens that. A failed load is reported, and the next
 * one (Retry, or a new run) downloads afresh, past the HTTP cache.
 */
import { DEFAULT_STALL_MS, loadMnistFromUrl, MnistDownloadError, MnistStallError } from '../data/loadBrowser';
import type { MnistData } from '../data/mnist';
import { describeError } from '../base/describeError';
import type { EngineTestHooks, FromWorker } from './protocol';

export const DATA_CACHE = 'subliminal-mnist-v2';
/** Older layouts' caches (v1 held the whole training set in one file): dropped on start. */
const OLD_DATA_CACHE = /^subliminal-mnist-v1$/;
/** At most this many data-progress messages a second (the download arrives in many small chunks). */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Where scripts/prepare-data.ts puts the gzipped MNIST files (public/data, copied to dist/data),
 * for a build with base `base` whose worker script is at `workerUrl`. A relative base ('./',
 * vite.config.ts) lets dist/ run from any folder of any host, but says nothing about which folder
 * that is: the worker's script sits in the build's assets/ folder, so data/ is one level up from
 * it. An absolute base (the dev server's '/', or a build with --base=/x/) is used as is, against
 * the worker's origin.
 */
export function dataUrl(base: string, workerUrl: string): string {
  return base === '' || base.startsWith('.')
    ? new URL('../data', workerUrl).href
    : new URL(`${base}data`, new URL(workerUrl).origin).href;
}

/** The page's sentence for a failed load: loadBrowser's own (it names the URL and the copy's source), and the way on. */
export function dataFailure(error: unknown): string {
  if (!(error instanceof MnistDownloadError))
    return `MNIST could not be loaded: ${describeError(error) || 'unknown error'}`;
  const wayOn =
    error.source === 'cached'
      ? 'The broken copy was deleted from this browser: Retry downloads a fresh one.'
      : error instanceof MnistStallError
        ? 'Retry when the connection is back.'
        : '';
  return wayOn ? `${error.message}. ${wayOn}` : error.message;
}

export interface MnistCacheOptions {
  post: (message: FromWorker) => void;
  /** The folder the files are served from (dataUrl). */
  url: string;
  /** The worker's CacheStorage, if it has one (reading it may throw, as with storage disabled). */
  caches: () => CacheStorage | undefined;
  fetch?: typeof fetch;
  load?: typeof loadMnistFromUrl;
  now?: () => number;
}

export class MnistCache {
  private data: MnistData | null = null;
  private loading: Promise<MnistData> | null = null;
  /** How long a download may send nothing (or a trickle). */
  private stallMs = DEFAULT_STALL_MS;
  /** Set after a failed load: the next downloads bypass the HTTP cache (Retry). */
  private reloadNext = false;
  /** Training images the coming run needs (the page's 'prepare', or the last run's); the first shard at least. */
  private wantedTrainImages = 1;
  /** The responses the cache answered, so errors can say "cached", not "downloaded". */
  private readonly fromCache = new WeakSet<Response>();

  constructor(private readonly options: MnistCacheOptions) {}

  /** The data held now (null before the first load). */
  get current(): MnistData | null {
    return this.data;
  }

  /** Takes the harness's test hooks (protocol.ts, EngineTestHooks) and drops caches of older data layouts. */
  configure(hooks: EngineTestHooks | undefined): void {
    const asked = Number(hooks?.stallMs);
    if (Number.isFinite(asked) && asked > 0) this.stallMs = asked;
    const caches = this.options.caches();
    void caches
      ?.keys()
      .then((names) => Promise.all(names.filter((name) => OLD_DATA_CACHE.test(name)).map((n) => caches.delete(n))))
      .catch(() => undefined);
  }

  private async open(): Promise<Cache | null> {
    try {
      return (await this.options.caches()?.open(DATA_CACHE)) ?? null;
    } catch {
      return null; // e.g. storage disabled: download every time
    }
  }

  /** fetch, answered from the data cache when it can be; a complete 200 response is stored as it streams. */
  private readonly cachedFetch: typeof fetch = async (input, init) => {
    const fetchNow = this.options.fetch ?? fetch;
    const cache = await this.open();
    if (!cache) return fetchNow(input, init);
    const request = new Request(input, init);
    const hit = await cache.match(request, { ignoreVary: true }).catch(() => undefined);
    if (hit) {
      this.fromCache.add(hit);
      return hit;
    }
    // After a failure, past the HTTP cache: it may hold the broken body, and revalidating it (304)
    // would hand it back again.
    const response = await fetchNow(request, this.reloadNext ? { cache: 'reload' } : undefined);
    // A download that breaks off makes put() reject, and nothing is stored.
    if (response.status === 200 && response.body) cache.put(request, response.clone()).catch(() => undefined);
    return response;
  };

  /**
   * MNIST with at least `trainImages` training images (default: what the page last prepared): the
   * test set and the training shards that cover them, downloading (or reading from the data
   * cache) only the shards not yet held. A call while a load is going waits for it, then loads
   * more if needed.
   */
  ensure(trainImages?: number): Promise<MnistData> {
    if (trainImages !== undefined) this.wantedTrainImages = trainImages;
    const need = trainImages ?? this.wantedTrainImages;
    if (this.data && this.data.train.count >= need) return Promise.resolve(this.data);
    if (this.loading) return this.loading.then(() => this.ensure(need));
    this.loading = this.load(need).finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(trainImages: number): Promise<MnistData> {
    const { post } = this.options;
    const now = this.options.now ?? (() => performance.now());
    let lastPost = 0;
    try {
      const loaded = await (this.options.load ?? loadMnistFromUrl)(this.options.url, {
        fetch: this.cachedFetch,
        isCached: (response) => this.fromCache.has(response),
        stallMs: this.stallMs,
        trainImages,
        have: this.data,
        onProgress: (loadedBytes, totalBytes) => {
          const time = now();
          if (time - lastPost < PROGRESS_INTERVAL_MS && loadedBytes !== totalBytes) return;
          lastPost = time;
          post({ type: 'data-progress', loadedBytes, totalBytes });
        },
      });
      this.data = loaded;
      this.reloadNext = false;
      post({ type: 'data-ready' });
      return loaded;
    } catch (error) {
      // A stored copy may be what is broken (a file that failed its checks was stored as it
      // streamed): that one is deleted, the good ones kept, and the retry downloads afresh.
      this.reloadNext = true;
      const cache = await this.open();
      if (error instanceof MnistDownloadError) await cache?.delete(error.url).catch(() => undefined);
      else await this.forgetAll();
      post({ type: 'data-failed', reason: dataFailure(error) });
      throw error;
    }
  }

  private async forgetAll() {
    try {
      await this.options.caches()?.delete(DATA_CACHE);
    } catch {
      // nothing stored to forget
    }
  }
}
