/**
 * The pool's adapter for Node: each parallel part of a run is a worker thread (part.worker.ts)
 * with its own single-threaded backend (tfjs's multi-threaded wasm does not run in Node).
 */
import type { ExperimentConfig } from '../experiment/config';
import type { MnistData } from '../data/mnist';
import { describeError } from '../base/describeError';
import type { RunEvent } from '../experiment/events';
import type { StartPart } from '../experiment/schedule/pool';
import type { PartWorkerData } from './part.worker';
import { startTypeScriptWorker } from './threads';

/** What every thread of a run is told besides its chunks. */
export type ThreadPartOptions = Omit<PartWorkerData, 'config' | 'chunks' | 'data'>;

/** `data` is best in shared memory (sharedMnist.ts): then every thread reads the parent's copy. */
export function threadParts(config: ExperimentConfig, data: MnistData, options: ThreadPartOptions): StartPart {
  return (part, chunks, report) => {
    const job: PartWorkerData = { config, data, chunks, ...options };
    const worker = startTypeScriptWorker(new URL('./part.worker.ts', import.meta.url), job);
    worker.on('message', (event: RunEvent) => report({ part, event }));
    worker.on('error', (error: unknown) => report({ part, error: describeError(error) }));
    // After its result this is ignored; before it, the thread died without one.
    worker.on('exit', (code) =>
      report({ part, error: `worker thread ${part + 1} exited (code ${code}) without a result` }),
    );
    return {
      cancel: () => worker.postMessage('cancel'),
      stop: async () => void (await worker.terminate()),
    };
  };
}
