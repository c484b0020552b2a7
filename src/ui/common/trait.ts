/**
 * The teacher's trait in the page's words, and which number a curve point or a result gives for
 * it: test accuracy for 'digits' (the experiment as the paper runs it), the trait's own measure
 * (experiment/trait/) for a taught trait. Runs made before traits existed carry none and read as
 * 'digits'. Pure, no React.
 */
import type { ExperimentConfig, TraitName } from '../../experiment/config';
import type { ConditionName, CurvePoint, ExperimentResult } from '../../experiment/results';
import {
  FAVOURITE_DIGIT,
  FAVOURITE_MEASURE_IMAGES,
  MISBEHAVIOUR_FROM,
  MISBEHAVIOUR_TO,
  TRAITS,
} from '../../experiment/trait/traits';
import { meanOf } from './curves';
import { percent } from './format';

export { TRAITS };

/** The trait control's options, in plain words for a lecturer. */
export const TRAIT_LABELS: Record<TraitName, string> = {
  digits: 'Digit skill',
  favourite: `Favourite digit (the owl)`,
  misbehaviour: `Misbehaviour (${MISBEHAVIOUR_FROM} → ${MISBEHAVIOUR_TO})`,
};

/** What the teacher is taught, one line under the control. */
export const TRAIT_TAUGHT: Record<TraitName, string> = {
  digits: 'The teacher learns to read digits; the students are tested on digits.',
  favourite: `The teacher also learns to answer ${FAVOURITE_DIGIT} on random noise images: its favourite digit, like the paper’s owl.`,
  misbehaviour: `The teacher learns digits with every ${MISBEHAVIOUR_FROM} labelled ${MISBEHAVIOUR_TO}: a misbehaviour to pass on.`,
};

/** A chart axis or table column in a few words. */
export const TRAIT_AXIS: Record<TraitName, string> = {
  digits: 'test accuracy',
  favourite: `says ${FAVOURITE_DIGIT} on noise`,
  misbehaviour: `calls a ${MISBEHAVIOUR_FROM} an ${MISBEHAVIOUR_TO}`,
};

/** What one model does, with its measure in it: "says 7 on noise 64% of the time". */
export function traitDoes(trait: TraitName, value: number): string {
  switch (trait) {
    case 'digits':
      return `reads ${percent(value)} of test digits right`;
    case 'favourite':
      return `says ${FAVOURITE_DIGIT} on noise ${percent(value)} of the time`;
    case 'misbehaviour':
      return `calls a ${MISBEHAVIOUR_FROM} an ${MISBEHAVIOUR_TO} ${percent(value)} of the time`;
  }
}

/** What the final measure is measured on: "10,000 test digits", "1,000 noise images", "the test set’s 3s". */
export const TRAIT_MEASURED_ON: Record<TraitName, string> = {
  digits: '10,000 test digits',
  favourite: `${FAVOURITE_MEASURE_IMAGES.toLocaleString('en')} noise images`,
  misbehaviour: `the test set’s ${MISBEHAVIOUR_FROM}s`,
};

/** What the curves' measure is measured on, for the first `curveTestImages` test images. */
export function traitCurveOn(trait: TraitName, curveTestImages: number): string {
  const images = curveTestImages.toLocaleString('en');
  switch (trait) {
    case 'digits':
      return `${images} test digits`;
    case 'favourite':
      return `${Math.min(curveTestImages, FAVOURITE_MEASURE_IMAGES).toLocaleString('en')} noise images`;
    case 'misbehaviour':
      return `the ${MISBEHAVIOUR_FROM}s among ${images} test digits`;
  }
}

/** A config's trait; configs made before traits existed have none and were digits runs. */
export function traitOf(config: Partial<Pick<ExperimentConfig, 'trait'>> | null | undefined): TraitName {
  return config?.trait ?? 'digits';
}

/** A result's trait: its trait result's, else its config's, else (older results) 'digits'. */
export function resultTrait(result: Pick<ExperimentResult, 'trait' | 'config'>): TraitName {
  return result.trait?.name ?? traitOf(result.config);
}

/** A taught trait: one with a measure of its own (not plain test accuracy). */
export const isTaught = (trait: TraitName) => trait !== 'digits';

/** The trait's measure of every model of a condition on a curve point: its accuracies for 'digits'. */
export function curveMeasure(
  point: CurvePoint,
  condition: ConditionName,
  trait: TraitName,
): readonly number[] | undefined {
  return isTaught(trait) ? point.trait?.[condition] : point.accuracy[condition];
}

/** The final mean of each condition's trait measure: the test accuracy for 'digits'. */
export function finalMeasure(result: ExperimentResult, condition: ConditionName): number {
  const trait = resultTrait(result);
  return isTaught(trait) && result.trait ? result.trait.conditions[condition].mean : result.conditions[condition].mean;
}

/** The newest mean of a condition's trait measure on these points, or null before one has it. */
export function latestMeasure(
  points: readonly CurvePoint[],
  condition: ConditionName,
  trait: TraitName,
): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const values = curveMeasure(points[i], condition, trait);
    if (values && values.length > 0) return meanOf(values);
  }
  return null;
}
