/**
 * One model of a packed stack group on the host, for the page's draw-a-digit inference: that
 * model's row of the parameter plane is read back, never the whole stack (nor the Adam moments).
 */
import * as tf from '../tf';
import type { StackGroup } from '../step/group';
import { PARAMS } from '../step/layout';
import type { ModelWeights } from '../results';
import { SimdGroup } from '../step/simd/simdGroup';

/** Row `row` of the group (counted across its parts) as plain arrays, one per layer. */
export async function readModelRow(group: StackGroup, row: number): Promise<ModelWeights> {
  if (group instanceof SimdGroup) return group.readRow(row); // in the CPU kernel's memory: a plain read
  let local = row;
  for (const part of group.parts) {
    if (local >= part.rows) {
      local -= part.rows;
      continue;
    }
    const { sizes, perModel, weightOffset, biasOffset } = part.layout;
    // A gather of one row of [planes·rows, P] (a free reshape): wasm's slice would first copy the
    // whole state, moments included, where a gather reads only the row.
    const slice = tf.tidy(() => {
      const index = tf.tensor1d([PARAMS * part.rows + local], 'int32');
      return tf.gather(tf.reshape(part.state, [part.state.shape[0] * part.rows, perModel]), index);
    });
    let values: Float32Array;
    try {
      values = (await slice.data()) as Float32Array;
    } finally {
      slice.dispose();
    }
    // Copies, one buffer per array: they outlive the tensor and may be transferred between workers.
    const layers = sizes.slice(1).map((_, layer) => layer);
    return {
      sizes: [...sizes],
      weights: layers.map((layer) =>
        values.slice(weightOffset[layer], weightOffset[layer] + sizes[layer] * sizes[layer + 1]),
      ),
      biases: layers.map((layer) => values.slice(biasOffset[layer], biasOffset[layer] + sizes[layer + 1])),
    };
  }
  throw new RangeError(`row ${row} is outside a group of ${group.rows} models`);
}

/** The ArrayBuffers a message of model weights can transfer instead of copying (each once). */
export function weightBuffers(models: Partial<Record<string, ModelWeights>>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const model of Object.values(models)) {
    if (!model) continue;
    for (const array of [...model.weights, ...model.biases])
      if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  }
  return [...buffers];
}
