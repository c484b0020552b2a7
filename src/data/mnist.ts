// MNIST types and pure helpers shared by the Node and browser loaders.

import { checkImagesMatchLabels, IdxFormatError, parseIdxImages, parseIdxLabels } from './idx';

/** Original file names of the four MNIST IDX files (the browser serves them with a `.gz` suffix). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type MnistFileKey = keyof typeof MNIST_FILES;

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE; // 784

export interface MnistSplit {
  count: number;
  /** count*784 raw bytes (0 = background, 255 = ink), row-major, image after image. */
  pixels: Uint8Array;
  /** count digits 0–9. */
  labels: Uint8Array;
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
}

/** Parses one images file and its labels file (raw IDX bytes) into a split, naming the bad file on any error. */
export function splitFromIdxBytes(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  imagesFile: string,
  labelsFile: string,
): MnistSplit {
  const images = parseIdxImages(imageBytes, imagesFile);
  if (images.rows !== MNIST_SIDE || images.cols !== MNIST_SIDE) {
    throw new IdxFormatError(
      imagesFile,
      `expected ${MNIST_SIDE}×${MNIST_SIDE} MNIST images, got ${images.rows}×${images.cols}`,
    );
  }
  const labels = parseIdxLabels(labelBytes, labelsFile);
  checkImagesMatchLabels(images, labels, imagesFile, labelsFile);
  return { count: images.count, pixels: images.pixels, labels: labels.labels };
}

/** Parses and validates the four raw (uncompressed) IDX files. Throws IdxFormatError naming the bad file. */
export function mnistFromIdxBytes(files: Record<MnistFileKey, Uint8Array>): MnistData {
  return {
    train: splitFromIdxBytes(files.trainImages, files.trainLabels, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    test: splitFromIdxBytes(files.testImages, files.testLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels),
  };
}

// 256-entry lookup: exact same float for every occurrence of a byte, and faster than dividing.
const SCALE_TABLE = (() => {
  const t = new Float32Array(256);
  for (let v = 0; v < 256; v++) t[v] = v / 127.5 - 1; // 0 -> -1, 255 -> +1 exactly
  return t;
})();

/** One raw byte in [-1, 1], as scalePixels maps it. */
export const scalePixel = (byte: number): number => SCALE_TABLE[byte]!;

/** Maps raw bytes to [-1, 1]: x / 127.5 - 1. */
export function scalePixels(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = SCALE_TABLE[pixels[i]!]!;
  return out;
}

/**
 * The page downloads the training set in shards of this many images (scripts/prepare-data.ts
 * writes them): a run reads only the first `trainImages`, so it needs only the shards that cover
 * them. Each shard is a complete IDX file (its own header), checked on its own.
 */
export const TRAIN_SHARD_IMAGES = 10_000;
export const TRAIN_SHARDS = 6;

/** The name of training shard `index` of `key` (images or labels), e.g. "train-images-idx3-ubyte.0". */
export function trainShardName(key: 'trainImages' | 'trainLabels', index: number): string {
  return `${MNIST_FILES[key]}.${index}`;
}

/** How many shards of `shardImages` cover the first `trainImages` training images (at least one). */
export function shardsFor(trainImages: number, shardImages = TRAIN_SHARD_IMAGES, shards = TRAIN_SHARDS): number {
  return Math.min(shards, Math.max(1, Math.ceil(trainImages / shardImages)));
}

/** One split from its parts, in order (the training shards), as one. */
export function concatSplits(parts: MnistSplit[]): MnistSplit {
  if (parts.length === 1) return parts[0]!;
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  const pixels = new Uint8Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    pixels.set(part.pixels, at * MNIST_PIXELS);
    labels.set(part.labels, at);
    at += part.count;
  }
  return { count, pixels, labels };
}
