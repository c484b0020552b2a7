/**
 * One model's forward pass on the host, for reading a single drawn digit: the plain MLP
 * (plainMlp.ts), softmax over the 10 class logits. No tensors: about 270k multiply-adds for the
 * paper's MLP, well under a millisecond, and it runs beside a training run without touching its
 * device.
 */
import { CLASS_COUNT } from '../config';
import * as plain from './plainMlp';
import type { ModelWeights } from '../results';

/** A model's reading of one digit. */
export interface Guess {
  /** The most probable class. */
  digit: number;
  /** Its probability. */
  probability: number;
  /** Softmax over the 10 class logits (the auxiliary logits take no part). */
  probabilities: number[];
}

/** Every logit (10 classes, then the auxiliary ones) of one input of sizes[0] values. */
export function logits(model: ModelWeights, input: ArrayLike<number>): Float32Array {
  return Float32Array.from(plain.forward(model, input, 1).at(-1)!);
}

/** Softmax of the first `count` values (stable: the largest is subtracted first). */
export function softmax(values: ArrayLike<number>, count = values.length): number[] {
  return Array.from(plain.softmax(values, 0, count));
}

/** The model's guess for one input: the class with the highest probability. */
export function guess(model: ModelWeights, input: ArrayLike<number>): Guess {
  const probabilities = softmax(logits(model, input), CLASS_COUNT);
  let digit = 0;
  for (let c = 1; c < CLASS_COUNT; c++) if (probabilities[c] > probabilities[digit]) digit = c;
  return { digit, probability: probabilities[digit], probabilities };
}
