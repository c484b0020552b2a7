import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkImagesMatchLabels,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IdxFormatError,
  parseIdxImages,
  parseIdxLabels,
} from '../../src/data/idx';
import { defaultMnistDirectory } from '../../src/data/loadNode';
import { MNIST_FILES, mnistFromIdxBytes, scalePixels, type MnistFileKey } from '../../src/data/mnist';

const IMAGES = 'train-images-idx3-ubyte';
const LABELS = 'train-labels-idx1-ubyte';

/** Builds an IDX file: big-endian magic, big-endian dims, payload. */
function idx(magic: number, dims: number[], payload: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

const images = (count: number, rows = 28, cols = 28, fill = 0) =>
  idx(IDX_IMAGES_MAGIC, [count, rows, cols], new Uint8Array(count * rows * cols).fill(fill));
const labels = (values: number[]) => idx(IDX_LABELS_MAGIC, [values.length], values);

/** Asserts `fn` throws an IdxFormatError for `fileName` whose message contains every fragment. */
function expectIdxError(fn: () => unknown, fileName: string, ...fragments: string[]): IdxFormatError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IdxFormatError);
  const err = caught as IdxFormatError;
  expect(err.fileName).toBe(fileName);
  expect(err.message.startsWith(`${fileName}: `)).toBe(true);
  for (const f of fragments) expect(err.message).toContain(f);
  return err;
}

describe('real MNIST files', () => {
  const dir = defaultMnistDirectory();
  const raw = {} as Record<MnistFileKey, Uint8Array>;
  for (const k of Object.keys(MNIST_FILES) as MnistFileKey[]) raw[k] = readFileSync(join(dir, MNIST_FILES[k]));

  const histogram = (ls: Uint8Array) => {
    const h = new Array<number>(10).fill(0);
    for (const l of ls) h[l]!++;
    return h;
  };

  it('parses the training images and labels', () => {
    const img = parseIdxImages(raw.trainImages, MNIST_FILES.trainImages);
    expect([img.count, img.rows, img.cols]).toEqual([60000, 28, 28]);
    expect(img.pixels.length).toBe(60000 * 784);
    const lab = parseIdxLabels(raw.trainLabels, MNIST_FILES.trainLabels);
    expect(lab.count).toBe(60000);
    expect(Array.from(lab.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    const h = histogram(lab.labels);
    expect(h).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(h.reduce((a, b) => a + b)).toBe(60000);
  });

  it('parses the test images and labels', () => {
    const img = parseIdxImages(raw.testImages, MNIST_FILES.testImages);
    expect([img.count, img.rows, img.cols]).toEqual([10000, 28, 28]);
    const lab = parseIdxLabels(raw.testLabels, MNIST_FILES.testLabels);
    expect(Array.from(lab.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const h = histogram(lab.labels);
    expect(h).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(h.reduce((a, b) => a + b)).toBe(10000);
  });

  it('builds MnistData and scales pixels to exactly [-1, 1]', () => {
    const data = mnistFromIdxBytes(raw);
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(data.train.pixels).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(data.train.pixels)).toBe(false); // a plain copy, not a view on the file buffer
    for (const split of [data.train, data.test]) {
      const scaled = scalePixels(split.pixels);
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < scaled.length; i++) {
        const v = scaled[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect([min, max]).toEqual([-1, 1]);
    }
  });

  it('reports a truncated real file with the promised and available sizes', () => {
    expectIdxError(
      () => parseIdxImages(raw.trainImages.subarray(0, 16 + 1000), MNIST_FILES.trainImages),
      MNIST_FILES.trainImages,
      'truncated: header promises 60000×28×28 = 47040000 pixel bytes but only 1000 follow',
    );
  });
});

describe('scalePixels', () => {
  it('maps x to x/127.5 - 1', () => {
    const s = scalePixels(Uint8Array.from([0, 255, 127, 128, 51]));
    expect(s[0]).toBe(-1);
    expect(s[1]).toBe(1);
    expect(s[2]).toBeCloseTo(-1 / 255, 7);
    expect(s[3]).toBeCloseTo(1 / 255, 7);
    expect(s[4]).toBeCloseTo(-0.6, 6);
  });
});

describe('parseIdxImages / parseIdxLabels on synthetic files', () => {
  it('honours the byteOffset of a Uint8Array view', () => {
    const file = images(2, 3, 4, 7);
    const big = new Uint8Array(file.length + 10);
    big.set(file, 5);
    const img = parseIdxImages(big.subarray(5, 5 + file.length), IMAGES);
    expect([img.count, img.rows, img.cols]).toEqual([2, 3, 4]);
    expect(img.pixels.every((p) => p === 7)).toBe(true);
    const lab = labels([3, 1, 4]);
    const big2 = new Uint8Array(lab.length + 3);
    big2.set(lab, 3);
    expect(Array.from(parseIdxLabels(big2.subarray(3), LABELS).labels)).toEqual([3, 1, 4]);
  });

  it('rejects a wrong magic number', () => {
    const err = expectIdxError(
      () => parseIdxImages(labels([1, 2]), IMAGES),
      IMAGES,
      'wrong magic number 0x00000801, expected 0x00000803 (IDX images of unsigned bytes)',
    );
    expect(err.message).toContain('IDX labels');
    expectIdxError(
      () => parseIdxLabels(images(1), LABELS),
      LABELS,
      'wrong magic number 0x00000803, expected 0x00000801',
    );
    expectIdxError(
      () => parseIdxImages(idx(0x00000d03, [1, 1, 1], [0]), IMAGES),
      IMAGES,
      'wrong magic number 0x00000d03',
    );
  });

  it('hints when the file is still gzip-compressed', () => {
    const gz = new Uint8Array(32);
    gz.set([0x1f, 0x8b, 0x08, 0x00]);
    expectIdxError(() => parseIdxImages(gz, IMAGES), IMAGES, 'wrong magic number 0x1f8b0800', 'gzip');
  });

  it('rejects a file too short for its header', () => {
    expectIdxError(
      () => parseIdxImages(images(1).subarray(0, 10), IMAGES),
      IMAGES,
      'file too short for its header (10 bytes, need 16)',
    );
    expectIdxError(
      () => parseIdxLabels(new Uint8Array(0), LABELS),
      LABELS,
      'file too short for its header (0 bytes, need 8)',
    );
  });

  it('rejects zero and absurd dimensions', () => {
    expectIdxError(() => parseIdxImages(images(0), IMAGES), IMAGES, 'zero count dimension');
    expectIdxError(() => parseIdxImages(images(1, 0, 28), IMAGES), IMAGES, 'zero rows dimension');
    expectIdxError(() => parseIdxImages(images(1, 28, 0), IMAGES), IMAGES, 'zero cols dimension');
    expectIdxError(() => parseIdxLabels(labels([]), LABELS), LABELS, 'zero count dimension');
    expectIdxError(
      () => parseIdxImages(idx(IDX_IMAGES_MAGIC, [0xffffffff, 28, 28], []), IMAGES),
      IMAGES,
      'absurd dimensions in header: 4294967295×28×28',
    );
  });

  it('rejects truncated files', () => {
    expectIdxError(
      () => parseIdxImages(images(2, 2, 2).subarray(0, 16 + 5), IMAGES),
      IMAGES,
      'truncated: header promises 2×2×2 = 8 pixel bytes but only 5 follow',
    );
    expectIdxError(
      () => parseIdxLabels(labels([1, 2, 3]).subarray(0, 8 + 1), LABELS),
      LABELS,
      'truncated: header promises 3 label bytes but only 1 follow',
    );
  });

  it('rejects trailing bytes', () => {
    const file = images(1, 2, 2);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file);
    expectIdxError(
      () => parseIdxImages(padded, IMAGES),
      IMAGES,
      '3 unexpected trailing bytes after the 1×2×2 = 4 pixel bytes',
    );
    const lab = labels([1]);
    const paddedLab = new Uint8Array(lab.length + 1);
    paddedLab.set(lab);
    expectIdxError(() => parseIdxLabels(paddedLab, LABELS), LABELS, '1 unexpected trailing bytes');
  });

  it('rejects a label outside 0–9, naming index and value', () => {
    expectIdxError(() => parseIdxLabels(labels([0, 9, 3, 10, 2]), LABELS), LABELS, 'label at index 3 is 10');
    expectIdxError(() => parseIdxLabels(labels([255]), LABELS), LABELS, 'label at index 0 is 255');
  });

  it('rejects image/label count mismatch, naming both files and counts', () => {
    const img = parseIdxImages(images(3), IMAGES);
    const lab = parseIdxLabels(labels([1, 2]), LABELS);
    expectIdxError(
      () => checkImagesMatchLabels(img, lab, IMAGES, LABELS),
      IMAGES,
      `has 3 images but ${LABELS} has 2 labels`,
    );
    expect(() => checkImagesMatchLabels(img, parseIdxLabels(labels([1, 2, 3]), LABELS), IMAGES, LABELS)).not.toThrow();
  });
});

describe('mnistFromIdxBytes validation', () => {
  const good = (): Record<MnistFileKey, Uint8Array> => ({
    trainImages: images(3),
    trainLabels: labels([1, 2, 3]),
    testImages: images(2),
    testLabels: labels([4, 5]),
  });

  it('accepts small well-formed files (train and test sizes may differ)', () => {
    const data = mnistFromIdxBytes(good());
    expect(data.train.count).toBe(3);
    expect(data.test.count).toBe(2);
    expect(data.train.pixels.length).toBe(3 * 784);
    expect(Array.from(data.test.labels)).toEqual([4, 5]);
  });

  it('requires 28×28 images, naming the file', () => {
    expectIdxError(
      () => mnistFromIdxBytes({ ...good(), trainImages: images(3, 27, 28) }),
      MNIST_FILES.trainImages,
      'expected 28×28 MNIST images, got 27×28',
    );
    expectIdxError(
      () => mnistFromIdxBytes({ ...good(), testImages: images(2, 28, 32) }),
      MNIST_FILES.testImages,
      'got 28×32',
    );
  });

  it('requires each split to match its own labels', () => {
    expectIdxError(
      () => mnistFromIdxBytes({ ...good(), testLabels: labels([1, 2, 3]) }),
      MNIST_FILES.testImages,
      `has 2 images but ${MNIST_FILES.testLabels} has 3 labels`,
    );
  });

  it('names the offending file for format errors', () => {
    expectIdxError(
      () => mnistFromIdxBytes({ ...good(), trainLabels: labels([1, 2, 11]) }),
      MNIST_FILES.trainLabels,
      'label at index 2 is 11',
    );
  });
});
