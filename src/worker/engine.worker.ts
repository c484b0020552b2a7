/**
 * The engine inside a module Web Worker, so the page never freezes (see protocol.ts). This file
 * only switches the page's messages to the modules that do the work:
 * - backendLifecycle.ts: the backend (webgpu → webgl → wasm → cpu, or the order 'configure'
 *   names), a lost WebGPU device (device-lost; the next run starts on a fresh one), a restart
 *   after a failed run left the engine unfit (engine-restarted);
 * - mnistCache.ts: MNIST, downloaded once into the Cache API (data-progress, data-ready, data-failed);
 * - jobs.ts: runs and sweeps, one at a time, each ending with exactly one end; 'prepare'; warm helpers;
 * - bench.ts: the page's benchmark; drawing.ts: reading the page's drawn digits.
 * Failures are reported, never thrown at the page: anything unexpected is a worker-error, and the
 * worker stays usable.
 *
 * The same script is also the engine's helper on a CPU-only machine (helperParts.ts starts it
 * with the name HELPER_NAME): one bundle of TensorFlow.js to download, not two.
 */
/// <reference lib="webworker" />
import { describeError } from '../base/describeError';
import { BackendLifecycle } from './backendLifecycle';
import { runBench } from './bench';
import { Drawing } from './drawing';
import { Jobs } from './jobs';
import { dataUrl, MnistCache } from './mnistCache';
import type { FromWorker, ToWorker } from './protocol';
import { isHelperWorker, onPartMessage, type ToPartWorker } from './part.worker';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromWorker) => self.postMessage(message);
const reportError = (error: unknown) => post({ type: 'worker-error', reason: describeError(error) || 'unknown error' });

const drawing = new Drawing(post);
const backend = new BackendLifecycle(post, (reason) => jobs.abort(new Error(`GPU device lost: ${reason}`)));
const data = new MnistCache({
  post,
  url: dataUrl(import.meta.env.BASE_URL, self.location.href),
  caches: () => ('caches' in self ? self.caches : undefined),
});
const jobs = new Jobs({ post, backend, data, drawing });

let configured = false;

/**
 * The page's first message: the backend order and (harness only) test hooks; then both slow
 * things start at once, so the page learns the backend and sees the download before anyone
 * presses Run. Only the first counts. Nothing is read from the worker's name or URL.
 */
function configure(message: Extract<ToWorker, { type: 'configure' }>) {
  if (configured) return;
  configured = true;
  backend.configure(message.backends);
  data.configure(message.testHooks);
  backend.ensure().catch(reportError);
  data.ensure().then(
    () => jobs.warmUp(),
    () => undefined,
  );
}

function onMessage(message: ToWorker) {
  switch (message.type) {
    case 'configure':
      return configure(message);
    case 'prepare':
      return jobs.prepare(message.config);
    case 'start':
      return void jobs
        .start(message.runId, { kind: 'run', config: message.config }, message.stopAtStages)
        .catch(reportError);
    case 'sweep':
      return void jobs
        .start(message.runId, { kind: 'sweep', base: message.base, plan: message.plan })
        .catch(reportError);
    case 'pause':
    case 'resume':
      return jobs.pauseOrResume(message.runId, message.type);
    case 'cancel':
      return jobs.abort(new Error('cancelled by the user'), message.runId);
    case 'retry-data':
      return void data.ensure().catch(() => undefined);
    case 'bench':
      return void runBench(message.sizes, message.steps, { post, jobs, backend });
    case 'ping':
      return post({ type: 'pong' });
    case 'classify':
      return drawing.classify(message.requestId, message.pixels);
    case 'draw-weights':
      return drawing.show(message.runId, message.weights);
    default:
      post({ type: 'worker-error', reason: `unknown message ${JSON.stringify(message)}` });
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  // This script as a helper worker (helperParts.ts): its own messages, none of the engine's.
  if (isHelperWorker()) return void onPartMessage(event as unknown as MessageEvent<ToPartWorker>);
  try {
    onMessage(event.data);
  } catch (error) {
    reportError(error);
  }
};

self.addEventListener('error', (event) => {
  event.preventDefault();
  const where = event.filename ? ` (${event.filename}:${event.lineno})` : '';
  const reason = event.error ? describeError(event.error) || 'unknown error' : event.message || 'unknown error';
  post({ type: 'worker-error', reason: `${reason}${where}` });
});
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportError(event.reason);
});

// Nothing starts until the page's 'configure': a helper never gets one, and the backend order
// must be known first. A 'start' without it picks the browser's order itself.
