/**
 * The pool's adapter for Node: each parallel part of a run is a worker thread (part.worker.ts)
 * with its own single-threaded backend (tfjs's multi-threaded wasm does not run in Node).
 */
import type { ExperimentConfig } from '../experiment/config';
import { describeError } from '../base/describeError';
import type { RunEvent } from '../experiment/events';
import type { StartPart } from '../experiment/schedule/pool';
import type { PartWorkerData } from './part.worker';
import { startTypeScriptWorker } from './threads';

/** What every thread of a run is told besides its chunks. */
export type ThreadPartOptions = Omit<PartWorkerData, 'config' | 'chunks'>;

export function threadParts(config: ExperimentConfig, options: ThreadPartOptions): StartPart {
  return (part, chunks, report) => {
    const data: PartWorkerData = { config, chunks, ...options };
    const worker = startTypeScriptWorker(new URL('./part.worker.ts', import.meta.url), data);
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
