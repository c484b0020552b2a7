// Strict parser for the IDX format used by the original MNIST files
// (http://yann.lecun.com/exdb/mnist/). Pure TypeScript: no Node or DOM APIs,
// so the same code runs in the browser and in the Node CLI.
//
// Layout: a 4-byte magic (0x00, 0x00, element type, number of dimensions),
// then one big-endian uint32 per dimension, then the raw elements.
// We only accept what MNIST uses: unsigned bytes (type 0x08) with
// 3 dimensions for images and 1 for labels.

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** Above this the header is garbage, not a real file (also keeps us below typed-array limits). */
export const MAX_IDX_PAYLOAD_BYTES = 2 ** 31 - 1;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count*rows*cols bytes, row-major, one image after another. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

/** Any problem with the content of an IDX file. The message always starts with the file name. */
export class IdxFormatError extends Error {
  readonly fileName: string;
  readonly problem: string;

  constructor(fileName: string, problem: string) {
    super(`${fileName}: ${problem}`);
    this.name = 'IdxFormatError';
    this.fileName = fileName;
    this.problem = problem;
  }
}

const hex32 = (n: number): string => '0x' + n.toString(16).padStart(8, '0');

function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return 'IDX images of unsigned bytes';
  if (magic === IDX_LABELS_MAGIC) return 'IDX labels of unsigned bytes';
  return '';
}

/** Reads the magic and `dims` big-endian dimensions, checking sizes; returns the dimensions. */
function readHeader(bytes: Uint8Array, fileName: string, expectedMagic: number, ndims: number): number[] {
  const headerLength = 4 + 4 * ndims;
  const tooShort = () =>
    new IdxFormatError(fileName, `file too short for its header (${bytes.byteLength} bytes, need ${headerLength})`);
  if (bytes.byteLength < 4) throw tooShort();
  // DataView over the view's own window: the Uint8Array may be a slice of a larger buffer.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Magic first: "wrong kind of file" is a more useful message than "too short".
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    let hint = '';
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) hint = '; the file looks gzip-compressed, decompress it first';
    else if (describeMagic(magic)) hint = ` (this is ${describeMagic(magic)}; wrong file?)`;
    throw new IdxFormatError(
      fileName,
      `wrong magic number ${hex32(magic)}, expected ${hex32(expectedMagic)} (${describeMagic(expectedMagic)})${hint}`,
    );
  }
  if (bytes.byteLength < headerLength) throw tooShort();
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  return dims;
}

/** Checks the dimensions are sane and that exactly the promised payload follows the header. */
function checkPayload(
  bytes: Uint8Array,
  fileName: string,
  dims: number[],
  dimNames: string[],
  what: string,
): { start: number; length: number } {
  dims.forEach((d, i) => {
    if (d === 0) throw new IdxFormatError(fileName, `header has a zero ${dimNames[i]} dimension`);
  });
  const shape = dims.join('×');
  // Product of uint32s can exceed 2^53 only far beyond the limit, and then it is still > limit.
  const length = dims.reduce((a, b) => a * b, 1);
  if (length > MAX_IDX_PAYLOAD_BYTES) {
    throw new IdxFormatError(
      fileName,
      `absurd dimensions in header: ${shape} = ${length} ${what} bytes (limit ${MAX_IDX_PAYLOAD_BYTES})`,
    );
  }
  const start = 4 + 4 * dims.length;
  const available = bytes.byteLength - start;
  const promised = dims.length > 1 ? `${shape} = ${length}` : `${length}`;
  if (available < length) {
    throw new IdxFormatError(
      fileName,
      `truncated: header promises ${promised} ${what} bytes but only ${available} follow`,
    );
  }
  if (available > length) {
    throw new IdxFormatError(
      fileName,
      `${available - length} unexpected trailing bytes after the ${promised} ${what} bytes the header promises`,
    );
  }
  return { start, length };
}

/** Copies into a fresh, plain Uint8Array (not a Node Buffer, not a view on the caller's buffer). */
function copyOut(bytes: Uint8Array, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(start, start + length));
  return out;
}

export function parseIdxImages(bytes: Uint8Array, fileName: string): IdxImages {
  const dims = readHeader(bytes, fileName, IDX_IMAGES_MAGIC, 3);
  const { start, length } = checkPayload(bytes, fileName, dims, ['count', 'rows', 'cols'], 'pixel');
  const [count, rows, cols] = dims as [number, number, number];
  return { count, rows, cols, pixels: copyOut(bytes, start, length) };
}

export function parseIdxLabels(bytes: Uint8Array, fileName: string): IdxLabels {
  const dims = readHeader(bytes, fileName, IDX_LABELS_MAGIC, 1);
  const { start, length } = checkPayload(bytes, fileName, dims, ['count'], 'label');
  const labels = copyOut(bytes, start, length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v > 9) throw new IdxFormatError(fileName, `label at index ${i} is ${v}, expected a digit 0–9`);
  }
  return { count: dims[0]!, labels };
}

/** Images and labels are paired by index, so their counts must agree. */
export function checkImagesMatchLabels(
  images: IdxImages,
  labels: IdxLabels,
  imagesFile: string,
  labelsFile: string,
): void {
  if (images.count !== labels.count) {
    throw new IdxFormatError(
      imagesFile,
      `has ${images.count} images but ${labelsFile} has ${labels.count} labels; image and label counts must match`,
    );
  }
}
