/**
 * A run on several CPU cores: the models are split between worker threads, each with its own
 * single-threaded wasm backend (tfjs's multi-threaded wasm does not run in Node). Models are
 * independent, so this is exact; the events come out as those of one run.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { mergeParts, type PartMessage } from '../experiment/chunkedRun';
import type { ExperimentConfig } from '../experiment/config';
import type { StackMode } from '../experiment/mlp';
import type { RunEvent } from '../experiment/results';
import type { ChunkWorkerData } from './chunkWorker';
import type { NodeBackendRequest } from './nodeBackend';
import { MessageQueue } from '../experiment/messageQueue';
import { startTypeScriptWorker } from './threads';

export function defaultWorkerCount(backend: string, models: number): number {
  if (backend.startsWith('webgpu')) return 1; // one GPU; parallel threads would only queue on it
  return Math.max(1, Math.min(availableParallelism(), models));
}

export interface ParallelOptions {
  backend: NodeBackendRequest;
  mode?: StackMode;
  alignment?: boolean;
  signal?: AbortSignal;
  progressIntervalMs?: number;
}

/** Runs `parts[i]` (each a list of sub-chunks) in worker i; yields the events of one run. */
export async function* runInParallel(config: ExperimentConfig, parts: number[][][], options: ParallelOptions): AsyncGenerator<RunEvent, void, void> {
  const queue = new MessageQueue<PartMessage>();
  let open = parts.length;
  const workers: Worker[] = parts.map((chunks, part) => {
    const data: ChunkWorkerData = {
      config,
      chunks,
      backend: options.backend,
      mode: options.mode,
      alignment: options.alignment,
      progressIntervalMs: options.progressIntervalMs,
    };
    const worker = startTypeScriptWorker(new URL('./chunkWorker.ts', import.meta.url), data);
    worker.on('message', (event: RunEvent) => queue.push({ part, event }));
    worker.on('error', (error: unknown) => queue.push({ part, error: error instanceof Error ? error.message : String(error) }));
    worker.on('exit', () => {
      if (--open === 0) queue.close();
    });
    return worker;
  });
  const cancel = () => workers.forEach((worker) => worker.postMessage('cancel'));
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    yield* mergeParts(config, parts.map((chunks) => chunks.flat()), queue);
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
