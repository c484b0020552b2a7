// Browser loader: downloads the four gzipped MNIST IDX files and gunzips them
// with the standard DecompressionStream. Uses only web APIs (fetch, streams),
// so it also runs under Node 20, which is how it is unit-tested. A file that sends nothing for
// stallMs (20 s) is given up rather than waited on forever, and every error says whether the bad
// copy was downloaded or read from this browser's cache (the caller says which via isCached).

import { describeError } from '../experiment/describeError';
import { IdxFormatError } from './idx';
import { MNIST_FILES, mnistFromIdxBytes, type MnistData, type MnistFileKey } from './mnist';

export interface LoadMnistFromUrlOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Compressed bytes received so far over all four files; total is null unless every response had a Content-Length. */
  onProgress?: (loadedBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
  /**
   * A file that sends nothing (no response, or no bytes of its body) for this long is given up,
   * and the others with it: a stalled connection would otherwise wait forever. Default 20 s.
   */
  stallMs?: number;
  /** Says whether a response is a copy stored in this browser (the Cache API), so messages can say so. */
  isCached?: (response: Response) => boolean;
}

/** How long a download may send nothing before it is given up (LoadMnistFromUrlOptions.stallMs). */
export const DEFAULT_STALL_MS = 20_000;

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

/** A file that sent nothing for `stallMs`: "The MNIST download stalled: no data for 20 s from <url>". */
export class MnistStallError extends MnistDownloadError {
  readonly stallMs: number;
  constructor(url: string, stallMs: number, source: MnistSource = 'downloaded') {
    const seconds = `${Number((stallMs / 1000).toFixed(3))} s`;
    super(url, `no data for ${seconds}`, {
      source,
      message:
        source === 'cached'
          ? `Reading the copy of ${url} cached in this browser stalled: no data for ${seconds}`
          : `The MNIST download stalled: no data for ${seconds} from ${url}`,
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
 * Re-emits `body`, erroring with `stalled()` when one read waits longer than `ms`. The clock runs
 * only while a read is pending (the consumer wants bytes and the network has none), so a slow
 * consumer is never mistaken for a stalled download.
 */
function watchStalls(
  body: ReadableStream<Uint8Array>,
  ms: number,
  stalled: () => Error,
  onReadError: (e: unknown) => void,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await within(reader.read(), ms, stalled, signal);
        if (done) controller.close();
        else controller.enqueue(value);
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
  signal: AbortSignal,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  // Kept so the stall is reported as itself, whatever the decompressor makes of the aborted stream.
  let stall: MnistStallError | null = null;
  let readError: unknown = null;
  const watched = watchStalls(
    body,
    stallMs,
    () => (stall = new MnistStallError(url, stallMs, source)),
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

export async function loadMnistFromUrl(baseUrl: string, opts: LoadMnistFromUrlOptions = {}): Promise<MnistData> {
  const fetchFn = opts.fetch ?? fetch; // called unbound: some fetch implementations reject a foreign `this`
  const { onProgress, signal, stallMs = DEFAULT_STALL_MS } = opts;
  const sourceOf = (res: Response): MnistSource => (opts.isCached?.(res) ? 'cached' : 'downloaded');
  const base = baseUrl.replace(/\/+$/, '');
  const keys = Object.keys(MNIST_FILES) as MnistFileKey[];
  const urls = keys.map((k) => `${base}/${MNIST_FILES[k]}.gz`);

  // One controller for all four downloads: the first failure (or the caller's abort) cancels the rest.
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
    // Wait for all four response headers first so the total size is known before bytes are counted.
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
          return await gunzipBody(res.body!, urls[i]!, sourceOf(res), stallMs, controller.signal, (n) => {
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

    const files = Object.fromEntries(keys.map((k, i) => [k, contents[i]!])) as Record<MnistFileKey, Uint8Array>;
    try {
      return mnistFromIdxBytes(files);
    } catch (e) {
      // Name the file's URL and where its bad copy came from, not just the IDX file name.
      const i = e instanceof IdxFormatError ? keys.findIndex((k) => MNIST_FILES[k] === e.fileName) : -1;
      if (i < 0) throw e;
      throw broken(urls[i]!, `not a valid MNIST file (${describeError(e)})`, sourceOf(responses[i]!), e);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
