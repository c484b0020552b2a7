// Trait measures: shares of one answer, on the images each trait is measured on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scalePixels } from '../../../src/data/mnist';
import { preset } from '../../../src/experiment/config';
import type { ModelGroup } from '../../../src/experiment/step/modelGroup';
import { answerShare, traitMeasures, traitProbe, traitProbes } from '../../../src/experiment/trait/measure';
import {
  FAVOURITE_DIGIT,
  FAVOURITE_MEASURE_IMAGES,
  MISBEHAVIOUR_FROM,
  MISBEHAVIOUR_TO,
} from '../../../src/experiment/trait/traits';
import { fakeMnist } from './fakeMnist';

const data = fakeMnist(20, 200);
const config = { ...preset('tiny'), trait: 'misbehaviour' as const };
const rows = (count: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 40 }), {
    minLength: 1,
    maxLength: count,
  });

/** Test image i's label, read back from its pixels (the made-up test images all differ). */
const labelOf = (() => {
  const byImage = new Map<string, number>();
  for (let i = 0; i < data.test.count; i++)
    byImage.set(scalePixels(data.test.pixels.subarray(i * 784, i * 784 + 16)).join(), data.test.labels[i]);
  return (images: Float32Array, i: number) => byImage.get(images.subarray(i * 784, i * 784 + 16).join());
})();

/** A group whose rows answer each image with `answer(image's true label)` (undefined: not a test image). */
function answering(...answers: ((label: number | undefined) => number)[]): ModelGroup {
  return {
    rows: answers.length,
    predictionsOn: async (images: Float32Array) =>
      answers.map((answer) => Array.from({ length: images.length / 784 }, (_, i) => answer(labelOf(images, i)))),
    accuracies: async (count?: number) => answers.map(() => count ?? -1),
  } as Partial<ModelGroup> as ModelGroup;
}

describe('answerShare', () => {
  it('is each row’s share of the answer, in [0, 1], counting every match', () => {
    fc.assert(
      fc.property(rows(6), fc.integer({ min: 0, max: 9 }), (predictions, answer) => {
        const shares = answerShare(predictions, answer);
        expect(shares).toHaveLength(predictions.length);
        shares.forEach((share, r) => {
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(1);
          expect(share * predictions[r].length).toBeCloseTo(predictions[r].filter((p) => p === answer).length, 9);
        });
        // Rows of nothing but the answer, or without it: 1 and 0.
        expect(answerShare([predictions[0].map(() => answer)], answer)).toEqual([1]);
        expect(answerShare([predictions[0].map(() => (answer + 1) % 10)], answer)).toEqual([0]);
      }),
    );
  });
});

describe('trait probes', () => {
  it('favourite: 1000 held-out noise images counting 7s; the curves’ first ones', () => {
    const final = traitProbe({ trait: 'favourite', seed: 0 }, data)!;
    expect([final.count, final.answer, final.images.length]).toEqual([
      FAVOURITE_MEASURE_IMAGES,
      FAVOURITE_DIGIT,
      FAVOURITE_MEASURE_IMAGES * 784,
    ]);
    const { curve } = traitProbes({ trait: 'favourite', seed: 0, curveTestImages: 50 }, data)!;
    expect(curve!.count).toBe(50);
    expect(curve!.images.every((x, i) => x === final.images[i])).toBe(true);
  });

  it('misbehaviour: exactly the test set’s 3s (of the first curveTestImages on the curves), counting 8s', () => {
    const threes = Array.from(data.test.labels.keys()).filter((i) => data.test.labels[i] === MISBEHAVIOUR_FROM);
    const probe = traitProbe(config, data)!;
    expect(probe.answer).toBe(MISBEHAVIOUR_TO);
    expect(probe.count).toBe(threes.length);
    for (let i = 0; i < probe.count; i++) expect(labelOf(probe.images, i)).toBe(MISBEHAVIOUR_FROM);
    const { curve } = traitProbes({ ...config, curveTestImages: 60 }, data)!;
    expect(curve!.count).toBe(threes.filter((i) => i < 60).length);
    // No 3 among the curve's images: no curve measure rather than 0/0.
    const firstThree = threes[0];
    expect(traitProbes({ ...config, curveTestImages: firstThree }, data)!.curve).toBeNull();
  });

  it('digits: no probe, its measure is the accuracy', async () => {
    expect(traitProbes({ ...config, trait: 'digits' }, data)).toBeNull();
    expect(
      await traitMeasures(
        answering(
          () => 0,
          () => 1,
        ),
        null,
        123,
      ),
    ).toEqual([123, 123]);
  });
});

describe('trait measures of a group', () => {
  it('favourite: a model that always answers 7 scores 1, one that never does 0', async () => {
    const probe = traitProbe({ trait: 'favourite', seed: 4 }, data, 100);
    const group = answering(
      () => FAVOURITE_DIGIT,
      () => 1,
    );
    expect(await traitMeasures(group, probe)).toEqual([1, 0]);
  });

  it('misbehaviour: a perfect reader scores 0, one that reads every 3 as an 8 scores 1', async () => {
    const probe = traitProbe(config, data);
    const perfect = (label: number | undefined) => label!;
    const misread = (label: number | undefined) => (label === MISBEHAVIOUR_FROM ? MISBEHAVIOUR_TO : label!);
    expect(await traitMeasures(answering(perfect, misread), probe)).toEqual([0, 1]);
  });

  it('misbehaviour: a reader that takes 3 for 8 on some of them scores that share', async () => {
    const probe = traitProbe(config, data)!;
    let seen = 0;
    // Every other 3 read as 8.
    const half = () => (seen++ % 2 === 0 ? MISBEHAVIOUR_TO : MISBEHAVIOUR_FROM);
    expect(await traitMeasures(answering(half), probe)).toEqual([Math.ceil(probe.count / 2) / probe.count]);
  });
});
