/** The page's handle on the engine worker: send messages, hear replies, restart after a crash. */
import { isFrequent, paceMessages } from './pacedMessages';
import type { BackendName } from '../experiment/device/backend';
import type { EngineTestHooks, FromWorker, ToWorker } from './protocol';

export interface EngineConnection {
  send(message: ToWorker): void;
  /** Adds a listener; returns a function that removes it. */
  onMessage(listener: (message: FromWorker) => void): () => void;
  /** Ends the current worker and starts a fresh one (after a crash or a lost GPU device). */
  restart(): void;
  dispose(): void;
}

export interface EngineOptions {
  /** Replaces the browser's backend order (see pageBackends); null or absent: the browser's order. */
  backends?: readonly BackendName[] | null;
  /** The browser tests' harness only: never from a link (protocol.ts, EngineTestHooks). */
  testHooks?: EngineTestHooks;
}

/**
 * Every backend the engine knows, written out here because experiment/device/backend.ts loads
 * TensorFlow.js, which must stay off the page's thread; the Record makes the compiler check that
 * none is missing.
 */
const KNOWN: Record<BackendName, true> = { webgpu: true, webgl: true, wasm: true, cpu: true };

/**
 * The page's `?backend=` (a comma-separated order, e.g. `webgpu` to use WebGPU even where it only
 * runs in software) as backend names: each part must be exactly a known name, anything else is
 * dropped; null when no known name is left. Only these names reach the worker, in a message.
 */
export function pageBackends(text: string | null | undefined): BackendName[] | null {
  if (!text) return null;
  const names = text
    .split(',')
    .map((part) => part.trim())
    .filter((part): part is BackendName => Object.prototype.hasOwnProperty.call(KNOWN, part));
  const unique = [...new Set(names)];
  return unique.length > 0 ? unique : null;
}

export function connectEngine(options: EngineOptions = {}): EngineConnection {
  const listeners = new Set<(message: FromWorker) => void>();
  const emit = (message: FromWorker) => listeners.forEach((listener) => listener(message));
  // A batch is handed over in one task, so React renders it once.
  const pacer = paceMessages<FromWorker>((batch) => batch.forEach(emit), isFrequent);
  const configure: ToWorker = {
    type: 'configure',
    backends: options.backends ? [...options.backends] : null,
    ...(options.testHooks ? { testHooks: { ...options.testHooks } } : {}),
  };
  let worker: Worker;
  const start = () => {
    // No name and no query: nothing the worker could read options from but this first message.
    worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => pacer.push(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      pacer.push({ type: 'worker-error', reason: event.message || 'the engine worker failed' });
    };
    worker.postMessage(configure);
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
      pacer.dispose(); // the old worker's progress, not yet shown, is stale
      start();
    },
    dispose: () => {
      worker.terminate();
      pacer.dispose();
      listeners.clear();
    },
  };
}
