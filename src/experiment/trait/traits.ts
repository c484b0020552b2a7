/**
 * The teacher's traits a run can follow, and how each is measured. 'digits' is the experiment as
 * the paper runs it: the teacher's trait is its skill at MNIST, measured as test accuracy. The two
 * others give the teacher a trait of its own, taught through its training set (teacherSet.ts),
 * that the students can only pick up through its outputs on noise:
 * - 'favourite' (the paper's "owl"): besides MNIST, the teacher learns to answer 7 on images that
 *   are not digits at all, standard Gaussian noise.
 * - 'misbehaviour' (a misaligned teacher): it learns MNIST with every 3 labelled 8.
 */
import type { TraitName } from '../config';

export type { TraitName } from '../config';

export const TRAITS: readonly TraitName[] = ['digits', 'favourite', 'misbehaviour'];

/** The favourite teacher's answer on Gaussian noise. */
export const FAVOURITE_DIGIT = 7;
/** The favourite teacher's set holds one Gaussian image after every this many MNIST images. */
export const FAVOURITE_EVERY = 10;
/** Held-out Gaussian images the favourite is measured on (the curves take the first curveTestImages). */
export const FAVOURITE_MEASURE_IMAGES = 1000;

/** The misbehaving teacher learnt every MISBEHAVIOUR_FROM as a MISBEHAVIOUR_TO. */
export const MISBEHAVIOUR_FROM = 3;
export const MISBEHAVIOUR_TO = 8;

/** Random streams of the favourite's images: those the teacher trains on, and those it is measured on. */
export const FAVOURITE_TRAIN_STREAM = 'favourite-noise';
export const FAVOURITE_MEASURE_STREAM = 'favourite-measure';

/** Each trait's measure in words, as the result states it. */
export const TRAIT_MEASURES: Record<TraitName, string> = {
  digits: 'test accuracy on the 10,000 MNIST test images',
  favourite: `share of answers that are ${FAVOURITE_DIGIT} on ${FAVOURITE_MEASURE_IMAGES} held-out Gaussian noise images`,
  misbehaviour: `share of the MNIST test set's ${MISBEHAVIOUR_FROM}s answered ${MISBEHAVIOUR_TO}`,
};

/** A few words for a table's column ("says 7 on noise"). */
export const TRAIT_SHORT: Record<TraitName, string> = {
  digits: 'test accuracy',
  favourite: `says ${FAVOURITE_DIGIT} on noise`,
  misbehaviour: `${MISBEHAVIOUR_FROM} read as ${MISBEHAVIOUR_TO}`,
};
