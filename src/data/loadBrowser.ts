// Browser loader: downloads the gzipped MNIST test set and the training shards a run needs
// (scripts/prepare-data.ts writes them), gunzips them with the standard DecompressionStream and
// checks each against its recorded size and SHA-256 (digests.ts). Uses only web APIs (fetch,
// streams, SubtleCrypto), so it also runs under Node 20, which is how it is unit-tested. A file
// that sends nothing, or only a trickle, for stallMs (20 s) is given up rather than waited on
// forever, and every error says whether the bad copy was downloaded or read from this browser's
// cache (the caller says which via isCached). Each file's stream is gunzipBody.ts's; the errors are
// downloadError.ts's.

import { describeError } from '../base/describeError';
import { MNIST_DIGESTS } from './digests';
import { broken, MnistDownloadError, MnistStallError, type MnistSource } from './downloadError';
import { gunzipBody, within } from './gunzipBody';
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

export { MnistDownloadError, MnistStallError, type MnistSource } from './downloadError';

/** How long a download may send nothing before it is given up (LoadMnistFromUrlOptions.stallMs). */
export const DEFAULT_STALL_MS = 20_000;
/** Below this rate over stallMs of waiting a download is given up (LoadMnistFromUrlOptions.minBytesPerSecond). */
export const DEFAULT_MIN_BYTES_PER_SECOND = 1024;

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

/** What every download of one load shares: how to fetch, when to give up, and the one abort for all. */
interface Download {
  fetchFn: typeof fetch;
  stallMs: number;
  /** Fewer bytes than this over stallMs of waiting is a stall. */
  minBytes: number;
  sourceOf: (res: Response) => MnistSource;
  /** The first failure (or the caller's abort) cancels the rest. */
  controller: AbortController;
  /** Throws `e` as the error the caller sees: the caller's own abort reason, or a download error naming `url`. */
  rethrow: (e: unknown, url: string) => never;
}

/** Every file's response, once all headers are in (so the total size is known before bytes are counted). */
function fetchResponses(urls: string[], download: Download): Promise<Response[]> {
  const { fetchFn, stallMs, sourceOf, controller, rethrow } = download;
  return Promise.all(
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
}

/** Every file's bytes, gunzipped, with the progress over all of them. */
function readBodies(
  responses: Response[],
  urls: string[],
  download: Download,
  onProgress: LoadMnistFromUrlOptions['onProgress'],
): Promise<Uint8Array[]> {
  const { stallMs, minBytes, sourceOf, controller, rethrow } = download;
  const lengths = responses.map((r) => r.headers.get('content-length'));
  const total = lengths.every((l) => l !== null && /^\d+$/.test(l))
    ? lengths.reduce((sum, l) => sum + Number(l), 0)
    : null;
  let loaded = 0;
  onProgress?.(0, total);

  return Promise.all(
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
}

/** The files that were downloaded, by name, with where each came from. */
interface Downloaded {
  names: string[];
  urls: string[];
  responses: Response[];
  contents: Uint8Array[];
}

/**
 * The downloaded files as MNIST: each decoded, then checked against its recorded size and SHA-256,
 * and added to what `have` already held. A bad file is named by its URL and where its copy came from.
 */
async function decodeFiles(
  { names, urls, responses, contents }: Downloaded,
  missing: { test: boolean; shards: number[] },
  have: MnistData | null,
  digests: Readonly<Record<string, FileDigest>>,
  sourceOf: (res: Response) => MnistSource,
): Promise<MnistData> {
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
  const download: Download = { fetchFn, stallMs, minBytes, sourceOf, controller, rethrow };

  try {
    const responses = await fetchResponses(urls, download);
    const contents = await readBodies(responses, urls, download, onProgress);
    return await decodeFiles({ names, urls, responses, contents }, missing, have, digests, sourceOf);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
