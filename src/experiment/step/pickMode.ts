/**
 * On the CPU backends, whether one batched product for the whole stack or a loop of per-model
 * products is faster depends on the backend and the shapes (wasm's batched matMul is slow, the
 * cpu backend's is not), so a run measures both on its own shapes and keeps the faster.
 */
import * as tf from '../tf';
import { INPUT_SIZE } from '../config';
import { initialParameters, type StackMode } from '../model/mlp';
import { TensorGroup } from './group';
import { StockKernels } from './stockKernels';
import type { StepKernels } from './kernels';

export interface ModeTiming {
  mode: StackMode;
  /** Model-samples per second of a teacher step, per mode. */
  rates: Record<StackMode, number>;
}

const cache = new Map<string, ModeTiming>();

/** Times one teacher step (after a warm-up one) of `rows` models in each mode (`kernels`: tests inject failures). */
export async function fasterStackMode(
  sizes: readonly number[],
  rows: number,
  batch: number,
  kernels: StepKernels = new StockKernels(),
): Promise<ModeTiming> {
  const key = `${tf.getBackend()}:${sizes.join('-')}:${rows}:${batch}`;
  const known = cache.get(key);
  if (known) return known;
  const models = Array.from({ length: rows }, (_, i) => initialParameters(sizes, 0, i));
  const [x, labels] = tf.tidy(() => [
    tf.randomUniform([rows, batch, INPUT_SIZE], -1, 1, 'float32', 1) as tf.Tensor3D,
    tf.zeros([batch], 'int32') as tf.Tensor1D,
  ]);
  const index = Int32Array.from({ length: rows * batch }, (_, i) => i % batch);
  const rates = {} as Record<StackMode, number>;
  try {
    for (const mode of ['per-model', 'batched'] as const) {
      const stack = TensorGroup.fromHost(sizes, models, true, mode, kernels);
      // A step that throws (out of memory) must not leave the stack behind: it poisons later runs.
      try {
        const step = async () => {
          const loss = stack.teacherStep({
            input: { kind: 'tensor', x },
            labels: { kind: 'labels', labels, index, batch },
            learningRate: 1e-6,
          });
          try {
            await loss.data();
          } finally {
            loss.dispose();
          }
        };
        await step();
        const start = performance.now();
        await step();
        rates[mode] = (rows * batch) / Math.max(1e-6, (performance.now() - start) / 1000);
      } finally {
        stack.dispose();
      }
    }
  } finally {
    tf.dispose([x, labels]);
  }
  const timing: ModeTiming = { mode: rates['per-model'] >= rates.batched ? 'per-model' : 'batched', rates };
  cache.set(key, timing);
  return timing;
}
