/** Model weights as messages carry them: each array's buffer moved, not copied. */
import type { ModelWeights } from '../results';

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
