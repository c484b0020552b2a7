// The teacher's training set for each trait: what it holds, image by image and label by label.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scalePixels } from '../../../src/data/mnist';
import { preset, type ExperimentConfig, type TraitName } from '../../../src/experiment/config';
import { traitProbe } from '../../../src/experiment/trait/measure';
import { gaussianImages, isFavouriteNoise, teacherSet, teacherSetSize } from '../../../src/experiment/trait/teacherSet';
import {
  FAVOURITE_DIGIT,
  FAVOURITE_EVERY,
  FAVOURITE_MEASURE_IMAGES,
  MISBEHAVIOUR_FROM,
  MISBEHAVIOUR_TO,
} from '../../../src/experiment/trait/traits';
import { fakeMnist } from './fakeMnist';

const N = 230;
const data = fakeMnist(300, 50);
const config = (trait: TraitName, overrides: Partial<ExperimentConfig> = {}) => ({
  ...preset('tiny'),
  trainImages: N,
  trait,
  ...overrides,
});
const image = (pixels: Float32Array, i: number) => pixels.subarray(i * 784, (i + 1) * 784);
/** Bit-equal arrays (vitest's toEqual is slow on a few hundred thousand floats). */
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
/** An image's first pixels: Gaussian floats, never alike in two different images. */
const key = (pixels: Float32Array, i: number) => image(pixels, i).subarray(0, 8).join();
const digits = scalePixels(data.train.pixels.subarray(0, N * 784));
const mnistLabels = Array.from(data.train.labels.subarray(0, N));

describe('the teacher set', () => {
  it('digits: the first trainImages MNIST images and labels, as the run always had them', () => {
    const set = teacherSet(config('digits'), data);
    expect(set.count).toBe(N);
    expect(set.mnistImages).toBe(true);
    expect(same(set.pixels, digits)).toBe(true);
    expect(Array.from(set.labels)).toEqual(mnistLabels);
  });

  it('misbehaviour: the same images; exactly the 3s relabelled 8', () => {
    const set = teacherSet(config('misbehaviour'), data);
    expect(set.count).toBe(N);
    expect(set.mnistImages).toBe(true);
    expect(same(set.pixels, digits)).toBe(true);
    expect(mnistLabels.filter((label) => label === MISBEHAVIOUR_FROM).length).toBeGreaterThan(5);
    set.labels.forEach((label, i) =>
      expect(label, `image ${i}`).toBe(mnistLabels[i] === MISBEHAVIOUR_FROM ? MISBEHAVIOUR_TO : mnistLabels[i]),
    );
  });

  it('favourite: every digit in order, and one Gaussian image labelled 7 after every ten', () => {
    const set = teacherSet(config('favourite'), data);
    const noiseCount = Math.floor(N / FAVOURITE_EVERY);
    expect(set.count).toBe(N + noiseCount);
    expect(teacherSetSize(config('favourite'))).toBe(set.count);
    expect(set.mnistImages).toBe(false);
    const positions = Array.from({ length: set.count }, (_, p) => p);
    const noisePositions = positions.filter(isFavouriteNoise);
    const digitPositions = positions.filter((p) => !isFavouriteNoise(p));
    expect(noisePositions).toHaveLength(noiseCount);
    expect(noisePositions.slice(0, 2)).toEqual([FAVOURITE_EVERY, 2 * FAVOURITE_EVERY + 1]);
    digitPositions.forEach((p, i) => {
      expect(same(image(set.pixels, p), image(digits, i)), `digit ${i}`).toBe(true);
      expect(set.labels[p]).toBe(mnistLabels[i]);
    });
    // The noise images: labelled 7, standard Gaussian pixels (not digits: those lie in [-1, 1]).
    const noise = noisePositions.flatMap((p) => Array.from(image(set.pixels, p)));
    noisePositions.forEach((p) => expect(set.labels[p]).toBe(FAVOURITE_DIGIT));
    const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
    const variance = noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(noise.filter((x) => Math.abs(x) > 1).length / noise.length).toBeCloseTo(0.3173, 1);
  });

  it('favourite: the held-out measure images are none of the trained noise images', () => {
    const set = teacherSet(config('favourite', { trainImages: 300 }), data);
    const trained = new Set(
      Array.from({ length: set.count }, (_, p) => p)
        .filter(isFavouriteNoise)
        .map((p) => key(set.pixels, p)),
    );
    const probe = traitProbe(config('favourite'), data)!;
    expect(probe.count).toBe(FAVOURITE_MEASURE_IMAGES);
    expect(probe.answer).toBe(FAVOURITE_DIGIT);
    for (let i = 0; i < probe.count; i++) expect(trained.has(key(probe.images, i))).toBe(false);
    // Another seed, other noise; the same seed, the same noise.
    const again = teacherSet(config('favourite', { trainImages: 300 }), data);
    expect(same(again.pixels, set.pixels)).toBe(true);
    const other = teacherSet(config('favourite', { trainImages: 300, seed: 1 }), data);
    expect(same(image(other.pixels, FAVOURITE_EVERY), image(set.pixels, FAVOURITE_EVERY))).toBe(false);
  });

  it('noise image i is the same whatever the number drawn', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (count, seed) => {
        const few = gaussianImages(seed, 'favourite-noise', count);
        const more = gaussianImages(seed, 'favourite-noise', count + 3);
        expect(same(more.subarray(0, few.length), few)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('holds trainImages digits and a tenth as many noise images, for any trainImages', () => {
    const big = fakeMnist(2000, 1, 2);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (trainImages) => {
        const set = teacherSet({ trainImages, trait: 'favourite', seed: 3 }, big);
        const noise = Array.from(set.labels.keys()).filter(isFavouriteNoise);
        expect(set.count).toBe(teacherSetSize({ trainImages, trait: 'favourite' }));
        expect(set.count - noise.length).toBe(trainImages);
        expect(noise.length).toBe(Math.floor(trainImages / FAVOURITE_EVERY));
        expect(set.pixels.length).toBe(set.count * 784);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses more training images than the data holds', () => {
    for (const trait of ['digits', 'favourite', 'misbehaviour'] as const)
      expect(() => teacherSet(config(trait, { trainImages: 301 }), data)).toThrow(/trainImages = 301/);
  });
});
