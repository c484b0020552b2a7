/**
 * A network's shape as plain numbers: its layer sizes and where each weight and bias sits in a
 * model's packed row. No TensorFlow.js here on purpose: the page's main thread plans chunks and
 * sweeps with these (chunks.ts), and importing tfjs there would load it on the page, where it
 * parses the page's own URL when it loads (a `%` in a link then blanked the page).
 */
import { CLASS_COUNT, INPUT_SIZE } from '../config';

/** [784, hidden…, 10 + m]. */
export function layerSizes(hidden: readonly number[], auxLogits: number): number[] {
  return [INPUT_SIZE, ...hidden, CLASS_COUNT + auxLogits];
}

export interface ParamLayout {
  /** [784, hidden…, 10 + m]. */
  sizes: readonly number[];
  /** P: parameters per model. */
  perModel: number;
  /** Offset of W_l and of b_l inside a model's row. */
  weightOffset: number[];
  biasOffset: number[];
}

/** Row layout of one model, layer by layer: W_l row-major [in][out], then b_l [out]. */
export function paramLayout(sizes: readonly number[]): ParamLayout {
  const weightOffset: number[] = [];
  const biasOffset: number[] = [];
  let offset = 0;
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    weightOffset.push(offset);
    offset += sizes[layer] * sizes[layer + 1];
    biasOffset.push(offset);
    offset += sizes[layer + 1];
  }
  return { sizes, perModel: offset, weightOffset, biasOffset };
}
