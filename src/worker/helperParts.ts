/**
 * The pool's adapter for the page: on a CPU-only machine each parallel part of a run is a helper
 * Web Worker (the engine worker's script in the helper role, part.worker.ts) with its own
 * single-threaded wasm backend: tfjs's multi-threaded wasm does not run in a bundled worker.
 */
import type { ExperimentConfig } from '../experiment/config';
import type { StartPart } from '../experiment/schedule/pool';
import type { MnistData } from '../data/mnist';
import { HELPER_NAME, type FromPartWorker, type ToPartWorker } from './part.worker';
import { pathFoundWrong } from '../experiment/step/trainingPath';

/** Cores the page may use for helper workers: the browser's count, at most 4. */
export function pageCores(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return Math.max(1, Math.min(cores, 4));
}

/** A helper worker, and the data it was warmed with. */
interface Helper {
  worker: Worker;
  data: MnistData;
}

/** Helpers started and warmed while the page sat idle, for the next run to take. */
const warm: Helper[] = [];

/** This very script (the engine worker's), in the helper role: its bundle and chunks come from the HTTP cache. */
function newHelper(data: MnistData): Helper {
  const worker = new Worker(self.location.href, { type: 'module', name: HELPER_NAME });
  worker.postMessage({ type: 'warm', data } satisfies ToPartWorker);
  return { worker, data };
}

/**
 * Starts `count` helpers now, each with its backend, the CPU kernel and `data`, so a run's first
 * step comes within a second of Run rather than after every helper has started from nothing.
 * Helpers warmed with other data are let go.
 */
export function warmHelpers(count: number, data: MnistData): void {
  for (const stale of warm.filter((helper) => helper.data !== data)) stale.worker.terminate();
  warm.splice(0, warm.length, ...warm.filter((helper) => helper.data === data));
  while (warm.length < count) warm.push(newHelper(data));
}

export function helperParts(config: ExperimentConfig, data: MnistData, alignment: boolean): StartPart {
  return (part, chunks, report, { stopAt }) => {
    const helper = warm.shift() ?? newHelper(data);
    const { worker } = helper;
    worker.onmessage = (message: MessageEvent<FromPartWorker | { type: 'worker-error'; reason: string }>) => {
      const data = message.data;
      if (data.type === 'event') report({ part, event: data.event });
      else report({ part, error: data.reason || `helper worker ${part + 1} failed` });
    };
    worker.onerror = (error) => {
      error.preventDefault();
      report({ part, error: error.message || `helper worker ${part + 1} failed` });
    };
    // The data crosses again only when the helper was warmed with other data (a bigger run's).
    // A CPU kernel the known-answer check found wrong in this worker is not trusted in the helpers either.
    const cpuKernels = pathFoundWrong('wasm', 'simd') ? ('stock' as const) : undefined;
    const run: ToPartWorker = { type: 'run', config, chunks, alignment, stopAt, cpuKernels };
    worker.postMessage(helper.data === data ? run : { ...run, data });
    return {
      cancel: () => worker.postMessage({ type: 'cancel' } satisfies ToPartWorker),
      stop: () => worker.terminate(),
      pause: () => worker.postMessage({ type: 'pause' } satisfies ToPartWorker),
      resume: () => worker.postMessage({ type: 'resume' } satisfies ToPartWorker),
    };
  };
}
