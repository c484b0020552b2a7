/**
 * One model's forward pass on the host, for reading a single drawn digit: dense layers with ReLU
 * between them, softmax over the 10 class logits. No tensors: about 270k multiply-adds for the
 * paper's MLP, well under a millisecond, and it runs beside a training run without touching its
 * device.
 */
import { CLASS_COUNT } from '../config';
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
  const { sizes, weights, biases } = model;
  if (input.length !== sizes[0]) throw new RangeError(`expected ${sizes[0]} inputs, got ${input.length}`);
  let h: ArrayLike<number> = input;
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    const [fanIn, fanOut] = [sizes[layer], sizes[layer + 1]];
    const w = weights[layer];
    const out = new Float64Array(biases[layer]);
    // Row by row of W (row-major [in][out]): reads the weights in memory order.
    for (let i = 0; i < fanIn; i++) {
      const x = h[i];
      if (x === 0) continue;
      const row = i * fanOut;
      for (let j = 0; j < fanOut; j++) out[j] += x * w[row + j];
    }
    if (layer < sizes.length - 2) for (let j = 0; j < fanOut; j++) if (out[j] < 0) out[j] = 0;
    h = out;
  }
  return Float32Array.from(h);
}

/** Softmax of the first `count` values (stable: the largest is subtracted first). */
export function softmax(values: ArrayLike<number>, count = values.length): number[] {
  let max = -Infinity;
  for (let i = 0; i < count; i++) max = Math.max(max, values[i]);
  const exps = Array.from({ length: count }, (_, i) => Math.exp(values[i] - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The model's guess for one input: the class with the highest probability. */
export function guess(model: ModelWeights, input: ArrayLike<number>): Guess {
  const probabilities = softmax(logits(model, input), CLASS_COUNT);
  let digit = 0;
  for (let c = 1; c < CLASS_COUNT; c++) if (probabilities[c] > probabilities[digit]) digit = c;
  return { digit, probability: probabilities[digit], probabilities };
}
