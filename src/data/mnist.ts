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

function parseSplit(
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
    train: parseSplit(files.trainImages, files.trainLabels, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    test: parseSplit(files.testImages, files.testLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels),
  };
}

// 256-entry lookup: exact same float for every occurrence of a byte, and faster than dividing.
const SCALE_TABLE = (() => {
  const t = new Float32Array(256);
  for (let v = 0; v < 256; v++) t[v] = v / 127.5 - 1; // 0 -> -1, 255 -> +1 exactly
  return t;
})();

/** Maps raw bytes to [-1, 1]: x / 127.5 - 1. */
export function scalePixels(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = SCALE_TABLE[pixels[i]!]!;
  return out;
}
