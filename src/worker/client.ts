/** The page's handle on the engine worker: send messages, hear replies, restart after a crash. */
import type { FromWorker, ToWorker } from './protocol';

export interface EngineConnection {
  send(message: ToWorker): void;
  /** Adds a listener; returns a function that removes it. */
  onMessage(listener: (message: FromWorker) => void): () => void;
  /** Ends the current worker and starts a fresh one (after a crash or a lost GPU device). */
  restart(): void;
  dispose(): void;
}

/**
 * @param backends a comma-separated list that replaces the browser's backend order (the page's
 *   `?backend=` parameter, e.g. `webgpu` to use WebGPU even where it only runs in software)
 */
export function connectEngine(backends?: string | null): EngineConnection {
  const listeners = new Set<(message: FromWorker) => void>();
  const emit = (message: FromWorker) => listeners.forEach((listener) => listener(message));
  let worker: Worker;
  const start = () => {
    // (Vite wants any spread before `type`.)
    worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
      ...(backends ? { name: `backends=${backends}` } : {}),
      type: 'module',
    });
    worker.onmessage = (event: MessageEvent<FromWorker>) => emit(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      emit({ type: 'worker-error', reason: event.message || 'the engine worker failed' });
    };
  };
  start();
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    restart: () => {
      worker.terminate();
      start();
    },
    dispose: () => {
      worker.terminate();
      listeners.clear();
    },
  };
}
