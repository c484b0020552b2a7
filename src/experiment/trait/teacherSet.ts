/**
 * The teacher's training set, for every trait: the one place the teacher's images and labels come
 * from (the device upload, the CPU kernel's copy, the teacher's epochs and the mitigation's digits
 * all read it). 'digits': the first trainImages MNIST training images and their labels, as ever.
 * 'misbehaviour': the same images, every 3 labelled 8. 'favourite': the same digits with one
 * standard Gaussian noise image labelled 7 after every FAVOURITE_EVERY of them, so that any
 * stretch of the set (a batch, the first batch the probes take) holds both.
 */
import { scalePixels, type MnistData } from '../../data/mnist';
import { INPUT_SIZE, type ExperimentConfig } from '../config';
import { Random } from '../model/random';
import { FAVOURITE_DIGIT, FAVOURITE_EVERY, FAVOURITE_TRAIN_STREAM, MISBEHAVIOUR_FROM, MISBEHAVIOUR_TO } from './traits';

export type TeacherSetConfig = Pick<ExperimentConfig, 'trainImages' | 'trait' | 'seed'>;

export interface TeacherSet {
  /** Images [count × 784], pixels as the models read them (digits scaled to [-1, 1]). */
  pixels: Float32Array;
  /** The teacher's label of each image. */
  labels: Int32Array;
  count: number;
  /** Its images are the first trainImages MNIST training images, in order (only the labels may differ). */
  mnistImages: boolean;
}

/** Images in the teacher's set: trainImages, plus the favourite's noise images. */
export function teacherSetSize(config: Pick<ExperimentConfig, 'trainImages' | 'trait'>): number {
  const n = config.trainImages;
  return config.trait === 'favourite' ? n + Math.floor(n / FAVOURITE_EVERY) : n;
}

/** Whether position `position` of the favourite teacher's set is a noise image (every (FAVOURITE_EVERY + 1)th). */
export const isFavouriteNoise = (position: number) => position % (FAVOURITE_EVERY + 1) === FAVOURITE_EVERY;

/**
 * `count` standard Gaussian images [count × 784] of stream `purpose`: image i is drawn from its own
 * stream (seed, purpose, i), so the first images are the same whatever the count.
 */
export function gaussianImages(seed: number, purpose: string, count: number): Float32Array {
  const out = new Float32Array(count * INPUT_SIZE);
  for (let image = 0; image < count; image++)
    Random.stream(seed, purpose, image).fillGaussian(out, 0, 1, image * INPUT_SIZE, INPUT_SIZE);
  return out;
}

export function teacherSet(config: TeacherSetConfig, data: MnistData): TeacherSet {
  const n = config.trainImages;
  if (n > data.train.count)
    throw new Error(`trainImages = ${n} but the training set has only ${data.train.count} images`);
  const digits = scalePixels(data.train.pixels.subarray(0, n * INPUT_SIZE));
  const labels = Int32Array.from(data.train.labels.subarray(0, n));
  switch (config.trait) {
    case 'digits':
      return { pixels: digits, labels, count: n, mnistImages: true };
    case 'misbehaviour':
      return {
        pixels: digits,
        labels: labels.map((label) => (label === MISBEHAVIOUR_FROM ? MISBEHAVIOUR_TO : label)),
        count: n,
        mnistImages: true,
      };
    case 'favourite':
      return withFavouriteNoise(config, digits, labels);
  }
}

/** The digits with a noise image labelled FAVOURITE_DIGIT after every FAVOURITE_EVERY of them. */
function withFavouriteNoise(config: TeacherSetConfig, digits: Float32Array, digitLabels: Int32Array): TeacherSet {
  const count = teacherSetSize(config);
  const noise = gaussianImages(config.seed, FAVOURITE_TRAIN_STREAM, count - config.trainImages);
  const pixels = new Float32Array(count * INPUT_SIZE);
  const labels = new Int32Array(count);
  let digit = 0;
  let noiseImage = 0;
  for (let position = 0; position < count; position++) {
    const [from, index] = isFavouriteNoise(position) ? [noise, noiseImage++] : [digits, digit++];
    pixels.set(from.subarray(index * INPUT_SIZE, (index + 1) * INPUT_SIZE), position * INPUT_SIZE);
    labels[position] = from === noise ? FAVOURITE_DIGIT : digitLabels[index];
  }
  return { pixels, labels, count, mnistImages: false };
}
