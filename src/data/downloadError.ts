/**
 * How a failed MNIST load is told: the URL, and whether the bad copy was downloaded or read from this
 * browser's cache (the remedies differ: a broken cached copy is thrown away and downloaded again).
 */

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

/** A file whose bytes arrived but do not decode: the message says where the bad copy came from. */
export const broken = (url: string, problem: string, source: MnistSource, cause?: unknown) =>
  new MnistDownloadError(url, problem, {
    source,
    cause,
    ...(source === 'downloaded' ? { message: `The file downloaded from ${url} is broken: ${problem}` } : {}),
  });
