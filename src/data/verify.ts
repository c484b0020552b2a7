// Is a file the MNIST file it claims to be? Its size and SHA-256 (of the uncompressed IDX bytes,
// so that how a host or a gzip version compressed it does not matter) against the digests recorded
// in digests.ts. Well-formed but wrong files (zeroed labels, random images, labels shifted by one,
// a 100-image test set) parse fine; only this catches them.

import { IdxFormatError } from './idx';

/** What a file must be: its length in bytes and the hex SHA-256 of its bytes. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

/** A file that is not the one recorded under its name. The message starts with the file name. */
export class MnistDigestError extends IdxFormatError {
  constructor(fileName: string, problem: string) {
    super(fileName, problem);
    this.name = 'MnistDigestError';
  }
}

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * SHA-256 of `bytes` with SubtleCrypto (browsers, and Node ≥ 20 as globalThis.crypto). Null where
 * there is none: SubtleCrypto exists only in secure contexts, and a site served over plain http
 * from another machine is not one; the size and the IDX checks still apply there.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  // digest() wants a plain ArrayBuffer-backed view.
  return hex(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

const short = (digest: string) => `${digest.slice(0, 12)}…`;

/**
 * Throws MnistDigestError naming `name` unless `bytes` has the recorded length and (when `sha256`
 * is given; null when it could not be computed) the recorded SHA-256. A name with no record is refused too.
 */
export function checkDigest(
  name: string,
  bytes: Uint8Array,
  sha256: string | null,
  digests: Readonly<Record<string, FileDigest>>,
): void {
  const expected = Object.prototype.hasOwnProperty.call(digests, name) ? digests[name] : undefined;
  if (!expected) throw new MnistDigestError(name, 'no recorded size and SHA-256 for this file name');
  if (bytes.byteLength !== expected.bytes) {
    throw new MnistDigestError(
      name,
      `has ${bytes.byteLength} bytes, but the MNIST file has ${expected.bytes}: not the MNIST file (truncated, cut down or replaced)`,
    );
  }
  if (sha256 !== null && sha256 !== expected.sha256) {
    throw new MnistDigestError(
      name,
      `has SHA-256 ${short(sha256)}, but the MNIST file's is ${short(expected.sha256)}: same size, different content (changed or corrupted)`,
    );
  }
}
