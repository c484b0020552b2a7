/**
 * One MNIST file's body, streamed: watched for stalls (silence or a trickle), counted for progress,
 * gunzipped with the standard DecompressionStream (unless the host already decoded it), collected.
 * Web streams only, so it runs in browsers and under Node 20 alike.
 */
import { describeError } from '../base/describeError';
import { broken, MnistDownloadError, MnistStallError, type MnistSource } from './downloadError';

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

/**
 * `promise`, or a rejection with `stalled()` if it has not settled within `ms`, or with the abort
 * reason once `signal` aborts (a stalled read may never notice the abort itself).
 */
export function within<T>(promise: Promise<T>, ms: number, stalled: () => Error, signal: AbortSignal): Promise<T> {
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
export async function gunzipBody(
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
