// Browser loader: downloads the gzipped MNIST test set and the training shards a run needs
// (scripts/prepare-data.ts writes them), gunzips them with the standard DecompressionStream and
// checks each against its recorded size and SHA-256 (digests.ts). Uses only web APIs (fetch,
// streams, SubtleCrypto), so it also runs under Node 20, which is how it is unit-tested. A file
// that sends nothing, or only a trickle, for stallMs (20 s) is given up rather than waited on
// forever, and every error says whether the bad copy was downloaded or read from this browser's
// cache (the caller says which via isCached).

import { describeError } from '../base/describeError';
import { MNIST_DIGESTS } from './digests';
import { IdxFormatError } from './idx';
import {
  concatSplits,
  MNIST_FILES,
  shardsFor,
  splitFromIdxBytes,
  TRAIN_SHARD_IMAGES,
  TRAIN_SHARDS,
  trainShardName,
  type MnistData,
  type MnistSplit,
} from './mnist';
import { checkDigest, sha256Hex, type FileDigest } from './verify';

export interface LoadMnistFromUrlOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Compressed bytes received so far over all four files; total is null unless every response had a Content-Length. */
  onProgress?: (loadedBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
  /**
   * A file that sends nothing (no response, or no bytes of its body) for this long, or less than
   * minBytesPerSecond over this long while we wait for it, is given up, and the others with it: a
   * stalled connection would otherwise wait forever. Default 20 s.
   */
  stallMs?: number;
  /** Slower than this over stallMs of waiting is a stall (a trickle), not a download. Default 1 KiB/s. */
  minBytesPerSecond?: number;
  /** Says whether a response is a copy stored in this browser (the Cache API), so messages can say so. */
  isCached?: (response: Response) => boolean;
  /** Training images needed: only the shards that cover the first `trainImages` are downloaded. Default: all. */
  trainImages?: number;
  /** What an earlier load returned: its test set and shards are kept, only the missing shards are downloaded. */
  have?: MnistData | null;
  /** The files' recorded sizes and SHA-256s, by name (default: digests.ts). */
  digests?: Readonly<Record<string, FileDigest>>;
  /** The layout on the server: images per training shard and shards in all (default: mnist.ts's). */
  shardImages?: number;
  shards?: number;
}

/** How long a download may send nothing before it is given up (LoadMnistFromUrlOptions.stallMs). */
export const DEFAULT_STALL_MS = 20_000;
/** Below this rate over stallMs of waiting a download is given up (LoadMnistFromUrlOptions.minBytesPerSecond). */
export const DEFAULT_MIN_BYTES_PER_SECOND = 1024;

/** How a file reached us: downloaded now, or read from the copy this browser stored earlier. */
export type MnistSource = 'downloaded' | 'cached';

/**
 * Network failure, HTTP error, stall or an undecodable file. The message names the URL and says
 * whether the bad copy was downloaded or read from this browser's cache (`source`), because the
 * remedies differ: a broken cached copy is thrown away and downloaded again.
 */
export class MnistDownloadError extends Error {
  readonly url: string;
  readonly status: number | null;
  readonly source: MnistSource;
  constructor(
    url: string,
    problem: string,
    opts: { status?: number | null; source?: MnistSource; cause?: unknown; message?: string } = {},
  ) {
    const source = opts.source ?? 'downloaded';
    super(
      opts.message ??
        (source === 'cached'
          ? `The copy of ${url} cached in this browser is broken: ${problem}`
          : `Could not download ${url}: ${problem}`),
      { cause: opts.cause },
    );
    this.name = 'MnistDownloadError';
    this.url = url;
    this.status = opts.status ?? null;
    this.source = source;
  }
}

/**
 * A file that sent nothing for `stallMs` ("The MNIST download stalled: no data for 20 s from <url>"),
 * or only `received` bytes, a trickle ("… only 12 bytes in 20 s from <url>").
 */
export class MnistStallError extends MnistDownloadError {
  readonly stallMs: number;
  constructor(url: string, stallMs: number, source: MnistSource = 'downloaded', received = 0) {
    const seconds = `${Number((stallMs / 1000).toFixed(3))} s`;
    const what = received > 0 ? `only ${received} bytes in ${seconds}` : `no data for ${seconds}`;
    super(url, what, {
      source,
      message:
        source === 'cached'
          ? `Reading the copy of ${url} cached in this browser stalled: ${what}`
          : `The MNIST download stalled: ${what} from ${url}`,
    });
    this.name = 'MnistStallError';
    this.stallMs = stallMs;
  }
}

/** Re-emits a stream after reading its first chunk, so we can sniff the gzip magic bytes. */
async function peekFirstChunk(
  body: ReadableStream<Uint8Array>,
): Promise<{ first: Uint8Array | undefined; stream: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const head = await reader.read();
  const first = head.done ? undefined : head.value;
  let pending = first;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(pending);
        pending = undefined;
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { first, stream };
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** A file whose bytes arrived but do not decode: the message says where the bad copy came from. */
const broken = (url: string, problem: string, source: MnistSource, cause?: unknown) =>
  new MnistDownloadError(url, problem, {
    source,
    cause,
    ...(source === 'downloaded' ? { message: `The file downloaded from ${url} is broken: ${problem}` } : {}),
  });

/**
 * `promise`, or a rejection with `stalled()` if it has not settled within `ms`, or with the abort
 * reason once `signal` aborts (a stalled read may never notice the abort itself).
 */
function within<T>(promise: Promise<T>, ms: number, stalled: () => Error, signal: AbortSignal): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(stalled()), ms);
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
}

/**
 * Re-emits `body`, erroring with `stalled(received)` when one read waits longer than `ms` (silence,
 * received 0), or when fewer than `minBytes` arrive in `ms` of waiting (a trickle). The clock runs
 * only while a read is pending (the consumer wants bytes and the network has none), so a slow
 * consumer is never mistaken for a stalled download.
 */
function watchStalls(
  body: ReadableStream<Uint8Array>,
  ms: number,
  minBytes: number,
  stalled: (received: number) => Error,
  onReadError: (e: unknown) => void,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let waited = 0;
  let received = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const asked = performance.now();
        const { done, value } = await within(reader.read(), ms, () => stalled(0), signal);
        if (done) return controller.close();
        waited += performance.now() - asked;
        received += value.byteLength;
        if (waited >= ms) {
          if (received < minBytes) throw stalled(received);
          waited = 0;
          received = 0;
        }
        controller.enqueue(value);
      } catch (e) {
        onReadError(e);
        reader.cancel(e).catch(() => undefined);
        throw e;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Streams body -> stall watch -> byte counter -> gunzip -> one Uint8Array. */
async function gunzipBody(
  body: ReadableStream<Uint8Array>,
  url: string,
  source: MnistSource,
  stallMs: number,
  minBytes: number,
  signal: AbortSignal,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  // Kept so the stall is reported as itself, whatever the decompressor makes of the aborted stream.
  let stall: MnistStallError | null = null;
  let readError: unknown = null;
  const watched = watchStalls(
    body,
    stallMs,
    minBytes,
    (received) => (stall = new MnistStallError(url, stallMs, source, received)),
    (e) => (readError ??= e),
    signal,
  );
  const counted = watched.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (chunk.byteLength === 0) return; // keeps the magic-byte sniffing below simple
        onChunk(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    const { first, stream } = await peekFirstChunk(counted);
    // Some static hosts serve `.gz` files with `Content-Encoding: gzip`, so the browser has
    // already decompressed them; raw IDX starts with 0x00 0x00, gzip with 0x1f 0x8b.
    const isGzip = first !== undefined && first[0] === 0x1f && (first.byteLength < 2 || first[1] === 0x8b);
    if (!isGzip) return await collect(stream);
    // Cast: TS's DOM typings declare the writable side as BufferSource, which pipeThrough rejects.
    const gunzip = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
    return await collect(stream.pipeThrough(gunzip));
  } catch (e) {
    if (stall) throw stall;
    // The connection broke off (or was aborted) mid-body: not bad bytes.
    if (readError !== null)
      throw new MnistDownloadError(url, `network error (${describeError(readError)})`, { source, cause: readError });
    throw broken(url, `not valid gzip (${describeError(e)})`, source, e);
  }
}

/** The files (names without .gz) to download for `trainImages`, given what `have` holds. */
function missingFiles(
  have: MnistData | null,
  trainImages: number,
  shardImages: number,
  shards: number,
): { test: boolean; shards: number[] } {
  // A `have` whose training set is not whole shards did not come from this loader: start afresh.
  const kept = have && have.train.count % shardImages === 0 ? have.train.count / shardImages : 0;
  const needed = shardsFor(trainImages, shardImages, shards);
  const missing: number[] = [];
  for (let i = kept; i < needed; i++) missing.push(i);
  return { test: !have || kept === 0, shards: missing };
}

/**
 * The MNIST test set and the training shards covering the first `trainImages` images (all by
 * default), each file checked against its recorded size and SHA-256; with `have` (an earlier
 * load's result), only the shards it lacks are downloaded, and its own arrays are returned when
 * nothing is missing. The training set returned holds whole shards: at least `trainImages`.
 */
export async function loadMnistFromUrl(baseUrl: string, opts: LoadMnistFromUrlOptions = {}): Promise<MnistData> {
  const fetchFn = opts.fetch ?? fetch; // called unbound: some fetch implementations reject a foreign `this`
  const { onProgress, signal, stallMs = DEFAULT_STALL_MS, digests = MNIST_DIGESTS } = opts;
  const shardImages = opts.shardImages ?? TRAIN_SHARD_IMAGES;
  const shardCount = opts.shards ?? TRAIN_SHARDS;
  const minBytes = Math.ceil(((opts.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND) * stallMs) / 1000);
  const sourceOf = (res: Response): MnistSource => (opts.isCached?.(res) ? 'cached' : 'downloaded');
  const base = baseUrl.replace(/\/+$/, '');
  const have = opts.have ?? null;
  const missing = missingFiles(have, opts.trainImages ?? shardImages * shardCount, shardImages, shardCount);
  if (have && !missing.test && missing.shards.length === 0) return have;
  const names = [
    ...(missing.test ? [MNIST_FILES.testImages, MNIST_FILES.testLabels] : []),
    ...missing.shards.flatMap((i) => [trainShardName('trainImages', i), trainShardName('trainLabels', i)]),
  ];
  const urls = names.map((name) => `${base}/${name}.gz`);

  // One controller for all downloads: the first failure (or the caller's abort) cancels the rest.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();

  const rethrow = (e: unknown, url: string): never => {
    if (signal?.aborted) throw signal.reason; // a cancellation is not a download error
    if (e instanceof MnistDownloadError) throw e;
    throw new MnistDownloadError(url, `network error (${describeError(e)})`, { cause: e });
  };

  try {
    // Wait for all response headers first so the total size is known before bytes are counted.
    const responses = await Promise.all(
      urls.map(async (url) => {
        let res: Response;
        try {
          // No response at all for stallMs is a stall too (the request is then aborted below).
          res = await within(
            fetchFn(url, { signal: controller.signal }),
            stallMs,
            () => new MnistStallError(url, stallMs),
            controller.signal,
          );
        } catch (e) {
          return rethrow(e, url);
        }
        if (!res.ok) {
          throw new MnistDownloadError(url, `HTTP ${res.status} ${res.statusText}`.trimEnd(), {
            status: res.status,
            source: sourceOf(res),
          });
        }
        if (!res.body)
          throw new MnistDownloadError(url, 'response has no body', { status: res.status, source: sourceOf(res) });
        return res;
      }),
    ).catch((e: unknown) => {
      controller.abort(e);
      throw e;
    });

    const lengths = responses.map((r) => r.headers.get('content-length'));
    const total = lengths.every((l) => l !== null && /^\d+$/.test(l))
      ? lengths.reduce((sum, l) => sum + Number(l), 0)
      : null;
    let loaded = 0;
    onProgress?.(0, total);

    const contents = await Promise.all(
      responses.map(async (res, i) => {
        try {
          return await gunzipBody(res.body!, urls[i]!, sourceOf(res), stallMs, minBytes, controller.signal, (n) => {
            loaded += n;
            // Overshoot means the host's Content-Length was not the byte count we receive: drop the total.
            onProgress?.(loaded, total !== null && loaded > total ? null : total);
          });
        } catch (e) {
          return rethrow(e, urls[i]!);
        }
      }),
    ).catch((e: unknown) => {
      controller.abort(e);
      throw e;
    });

    const bytes = new Map(names.map((name, i) => [name, contents[i]!]));
    /** A bad file, named by its URL and where its copy came from, not just by its IDX name. */
    const blame = (e: unknown, what: string): never => {
      const i = e instanceof IdxFormatError ? names.indexOf(e.fileName) : -1;
      if (i < 0) throw e;
      throw broken(urls[i]!, `${what} (${describeError(e)})`, sourceOf(responses[i]!), e);
    };
    const split = (images: string, labels: string): MnistSplit => {
      try {
        return splitFromIdxBytes(bytes.get(images)!, bytes.get(labels)!, images, labels);
      } catch (e) {
        return blame(e, 'not a valid MNIST file');
      }
    };
    const test = missing.test ? split(MNIST_FILES.testImages, MNIST_FILES.testLabels) : have!.test;
    const shards = missing.shards.map((i) => split(trainShardName('trainImages', i), trainShardName('trainLabels', i)));
    // Well-formed is not enough: each file must be the one recorded under its name.
    const hashes = await Promise.all(contents.map((content) => sha256Hex(content)));
    names.forEach((name, i) => {
      try {
        checkDigest(name, contents[i]!, hashes[i]!, digests);
      } catch (e) {
        blame(e, 'not the MNIST file');
      }
    });
    const kept = have && !missing.test ? [have.train] : [];
    return { train: concatSplits([...kept, ...shards]), test };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
