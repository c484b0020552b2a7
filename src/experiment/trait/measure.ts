/**
 * Measuring a trait on every model of a group. The two taught traits are both "the share of
 * answers equal to one digit on a set of images" (7 on held-out Gaussian noise; 8 on the test
 * set's 3s); 'digits' is plain test accuracy, the numbers of the result's `conditions`.
 */
import { scalePixels, type MnistData } from '../../data/mnist';
import { INPUT_SIZE, type ExperimentConfig } from '../config';
import type { ModelGroup } from '../step/modelGroup';
import { gaussianImages } from './teacherSet';
import {
  FAVOURITE_DIGIT,
  FAVOURITE_MEASURE_IMAGES,
  FAVOURITE_MEASURE_STREAM,
  MISBEHAVIOUR_FROM,
  MISBEHAVIOUR_TO,
} from './traits';

/** Images a taught trait is measured on, and the answer it counts. */
export interface TraitProbe {
  /** [count × 784], pixels as the models read them. */
  images: Float32Array;
  count: number;
  answer: number;
}

/** The final measure's images and the live curves' (a few of them), for a taught trait. */
export interface TraitProbes {
  final: TraitProbe;
  /** Null when the curves' share holds no image (a tiny curveTestImages and no 3 among them). */
  curve: TraitProbe | null;
}

/** Each row's share of answers equal to `answer` (rows of predicted classes); NaN for a row without answers. */
export function answerShare(predictions: readonly (readonly number[])[], answer: number): number[] {
  return predictions.map((row) => row.reduce((hits, value) => hits + (value === answer ? 1 : 0), 0) / row.length);
}

/** What a trait is measured on: held-out images `limit` at most (all by default); null for 'digits'. */
export function traitProbe(
  config: Pick<ExperimentConfig, 'trait' | 'seed'>,
  data: MnistData,
  limit = Infinity,
): TraitProbe | null {
  switch (config.trait) {
    case 'digits':
      return null;
    case 'favourite': {
      // A stream of its own: never the images the teacher trained on, nor the students' noise.
      const count = Math.min(limit, FAVOURITE_MEASURE_IMAGES);
      return { images: gaussianImages(config.seed, FAVOURITE_MEASURE_STREAM, count), count, answer: FAVOURITE_DIGIT };
    }
    case 'misbehaviour':
      return testImagesOf(data, MISBEHAVIOUR_FROM, limit, MISBEHAVIOUR_TO);
  }
}

/** Both probes of a run, or null for 'digits'. */
export function traitProbes(
  config: Pick<ExperimentConfig, 'trait' | 'seed' | 'curveTestImages'>,
  data: MnistData,
): TraitProbes | null {
  const final = traitProbe(config, data);
  if (!final) return null;
  const curve = traitProbe(config, data, config.curveTestImages);
  return { final, curve: curve && curve.count > 0 ? curve : null };
}

/** Every row's trait measure: its share of `probe.answer` on the probe's images, or its test accuracy without a probe. */
export async function traitMeasures(
  group: ModelGroup,
  probe: TraitProbe | null,
  testCount?: number,
): Promise<number[]> {
  if (!probe) return group.accuracies(testCount);
  return answerShare(await group.predictionsOn(probe.images), probe.answer);
}

/** The test images labelled `digit` among the first `limit`, scaled, counting `answer`. */
function testImagesOf(data: MnistData, digit: number, limit: number, answer: number): TraitProbe {
  const { labels, pixels } = data.test;
  const end = Math.min(limit, data.test.count);
  const chosen: number[] = [];
  for (let i = 0; i < end; i++) if (labels[i] === digit) chosen.push(i);
  const images = new Float32Array(chosen.length * INPUT_SIZE);
  chosen.forEach((image, i) =>
    images.set(scalePixels(pixels.subarray(image * INPUT_SIZE, (image + 1) * INPUT_SIZE)), i * INPUT_SIZE),
  );
  return { images, count: chosen.length, answer };
}
