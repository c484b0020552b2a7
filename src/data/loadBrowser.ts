// Browser loader: downloads the four gzipped MNIST IDX files and gunzips them
// with the standard DecompressionStream. Uses only web APIs (fetch, streams),
// so it also runs under Node 20, which is how it is unit-tested.

import { MNIST_FILES, mnistFromIdxBytes, type MnistData, type MnistFileKey } from './mnist';

export interface LoadMnistFromUrlOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Compressed bytes received so far over all four files; total is null unless every response had a Content-Length. */
  onProgress?: (loadedBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
}

/** Network failure, HTTP error or undecodable download. The message names the URL. */
export class MnistDownloadError extends Error {
  readonly url: string;
  readonly status: number | null;
  constructor(url: string, problem: string, status: number | null = null, cause?: unknown) {
    super(`Could not download ${url}: ${problem}`, { cause });
    this.name = 'MnistDownloadError';
    this.url = url;
    this.status = status;
  }
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

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

/** Streams body -> byte counter -> gunzip -> one Uint8Array. */
async function gunzipBody(
  body: ReadableStream<Uint8Array>,
  url: string,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (chunk.byteLength === 0) return; // keeps the magic-byte sniffing below simple
        onChunk(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
  const { first, stream } = await peekFirstChunk(counted);
  // Some static hosts serve `.gz` files with `Content-Encoding: gzip`, so the browser has
  // already decompressed them; raw IDX starts with 0x00 0x00, gzip with 0x1f 0x8b.
  const isGzip = first !== undefined && first[0] === 0x1f && (first.byteLength < 2 || first[1] === 0x8b);
  if (!isGzip) return collect(stream);
  try {
    // Cast: TS's DOM typings declare the writable side as BufferSource, which pipeThrough rejects.
    const gunzip = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
    return await collect(stream.pipeThrough(gunzip));
  } catch (e) {
    throw new MnistDownloadError(url, `download broken or not valid gzip (${describe(e)})`, null, e);
  }
}

export async function loadMnistFromUrl(baseUrl: string, opts: LoadMnistFromUrlOptions = {}): Promise<MnistData> {
  const fetchFn = opts.fetch ?? fetch; // called unbound: some fetch implementations reject a foreign `this`
  const { onProgress, signal } = opts;
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
    throw new MnistDownloadError(url, `network error (${describe(e)})`, null, e);
  };

  try {
    // Wait for all four response headers first so the total size is known before bytes are counted.
    const responses = await Promise.all(
      urls.map(async (url) => {
        let res: Response;
        try {
          res = await fetchFn(url, { signal: controller.signal });
        } catch (e) {
          return rethrow(e, url);
        }
        if (!res.ok) {
          throw new MnistDownloadError(url, `HTTP ${res.status} ${res.statusText}`.trimEnd(), res.status);
        }
        if (!res.body) throw new MnistDownloadError(url, 'response has no body', res.status);
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
          return await gunzipBody(res.body!, urls[i]!, (n) => {
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
    return mnistFromIdxBytes(files);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
