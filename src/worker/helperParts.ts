/**
 * The pool's adapter for the page: on a CPU-only machine each parallel part of a run is a helper
 * Web Worker (part.worker.ts) with its own single-threaded wasm backend: tfjs's multi-threaded
 * wasm does not run in a bundled worker.
 */
import type { ExperimentConfig } from '../experiment/config';
import type { StartPart } from '../experiment/schedule/pool';
import type { MnistData } from '../data/mnist';
import type { FromPartWorker, ToPartWorker } from './part.worker';

/** Cores the page may use for helper workers: the browser's count, at most 4. */
export function pageCores(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return Math.max(1, Math.min(cores, 4));
}

export function helperParts(config: ExperimentConfig, data: MnistData, alignment: boolean): StartPart {
  return (part, chunks, report) => {
    const worker = new Worker(new URL('./part.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (message: MessageEvent<FromPartWorker>) => report({ part, event: message.data.event });
    worker.onerror = (error) => {
      error.preventDefault();
      report({ part, error: error.message || `helper worker ${part + 1} failed` });
    };
    worker.postMessage({ type: 'run', config, chunks, data, alignment } satisfies ToPartWorker);
    return {
      cancel: () => worker.postMessage({ type: 'cancel' } satisfies ToPartWorker),
      stop: () => worker.terminate(),
    };
  };
}
