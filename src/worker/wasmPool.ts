/**
 * On a CPU-only machine, a run's models are split between helper workers (chunk.worker.ts), one
 * per core, each with its own single-threaded wasm backend: tfjs's multi-threaded wasm does not run
 * in a bundled worker, and models are independent, so this is exact. The events come out as those
 * of one run (ChunkEvents).
 */
import { mergeParts, type PartMessage } from '../experiment/chunkedRun';
import { MessageQueue } from '../experiment/messageQueue';
import type { ExperimentConfig } from '../experiment/config';
import { planChunks, splitEvenly } from '../experiment/chunks';
import type { RunEvent } from '../experiment/results';
import type { MnistData } from '../data/mnist';
import type { FromChunkWorker, ToChunkWorker } from './chunk.worker';

/** Helper workers worth starting: one per core (at most 4), never more than models. */
export function poolSize(models: number): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return Math.max(1, Math.min(cores, 4, models));
}

export async function* runInWorkers(
  config: ExperimentConfig,
  data: MnistData,
  workers: number,
  modelsPerChunk: number,
  signal: AbortSignal,
  alignment = false,
): AsyncGenerator<RunEvent, void, void> {
  const parts = splitEvenly(config.models, workers).map((part) => planChunks(part, modelsPerChunk));
  const queue = new MessageQueue<PartMessage>();
  let finished = 0;
  const pool = parts.map((chunks, part) => {
    const worker = new Worker(new URL('./chunk.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (message: MessageEvent<FromChunkWorker>) => {
      queue.push({ part, event: message.data.event });
      // Helper workers stay alive when done: the stream ends with the last result.
      if (message.data.event.type === 'finished' && ++finished === parts.length) queue.close();
    };
    worker.onerror = (error) => {
      error.preventDefault();
      queue.push({ part, error: error.message || 'a helper worker failed' });
    };
    worker.postMessage({ type: 'run', config, chunks, data, alignment } satisfies ToChunkWorker);
    return worker;
  });
  const cancel = () => pool.forEach((worker) => worker.postMessage({ type: 'cancel' } satisfies ToChunkWorker));
  signal.addEventListener('abort', cancel, { once: true });
  try {
    yield* mergeParts(config, parts.map((chunks) => chunks.flat()), queue);
  } finally {
    signal.removeEventListener('abort', cancel);
    pool.forEach((worker) => worker.terminate());
  }
}
