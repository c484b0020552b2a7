/**
 * How a model sits in the kernel's memory: every layer's width rounded up to 16 (zero columns),
 * so the products need no edge cases. Padding stays exactly zero through training: its weights
 * see zero inputs or zero output gradients, so their gradients, Adam moments and steps are zero.
 * Per model, layer by layer: W_l [in_l][out_l] (padded), then b_l [out_l] (padded).
 */
import type { HostParameters } from '../../model/mlp';

const pad = (n: number) => Math.ceil(n / 16) * 16;

export interface PaddedLayout {
  /** The real sizes [784, hidden…, 10 + m]. */
  sizes: readonly number[];
  /** The padded sizes (784 is already a multiple of 16). */
  widths: number[];
  /** Values per model (floats). */
  perModel: number;
  weightOffset: number[];
  biasOffset: number[];
}

export function paddedLayout(sizes: readonly number[]): PaddedLayout {
  const widths = sizes.map((size, i) => (i === 0 ? size : pad(size)));
  if (widths[0] % 4 !== 0) throw new Error(`input width ${widths[0]} must be a multiple of 4`);
  const weightOffset: number[] = [];
  const biasOffset: number[] = [];
  let offset = 0;
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    weightOffset.push(offset);
    offset += widths[layer] * widths[layer + 1];
    biasOffset.push(offset);
    offset += widths[layer + 1];
  }
  return { sizes, widths, perModel: offset, weightOffset, biasOffset };
}

/** Writes a model into `out` (perModel values, zero-filled beforehand). */
export function packModel(layout: PaddedLayout, model: HostParameters, out: Float32Array): void {
  const { sizes, widths, weightOffset, biasOffset } = layout;
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    const [fanIn, fanOut, stride] = [sizes[layer], sizes[layer + 1], widths[layer + 1]];
    const w = model.weights[layer];
    for (let i = 0; i < fanIn; i++) out.set(w.subarray(i * fanOut, (i + 1) * fanOut), weightOffset[layer] + i * stride);
    out.set(model.biases[layer], biasOffset[layer]);
  }
}

/** A model read back from its padded form (fresh arrays, one buffer each). */
export function unpackModel(layout: PaddedLayout, values: Float32Array): HostParameters {
  const { sizes, widths, weightOffset, biasOffset } = layout;
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    const [fanIn, fanOut, stride] = [sizes[layer], sizes[layer + 1], widths[layer + 1]];
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < fanIn; i++)
      w.set(values.subarray(weightOffset[layer] + i * stride, weightOffset[layer] + i * stride + fanOut), i * fanOut);
    weights.push(w);
    biases.push(values.slice(biasOffset[layer], biasOffset[layer] + fanOut));
  }
  return { weights, biases };
}
