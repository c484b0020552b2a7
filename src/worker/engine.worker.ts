/**
 * The engine inside a module Web Worker, so the page never freezes (see protocol.ts).
 *
 * On the page's 'configure' it picks a backend (webgpu → webgl → wasm → cpu) and downloads the
 * MNIST test set and first training shard, both at once; 'prepare' fetches the shards the coming
 * run needs.
 * A 'start' waits for both, then streams every RunEvent of the run to the page; every start ends
 * with exactly one 'finished', 'failed' or 'cancelled'. One run at a time: a new 'start' cancels
 * the run in progress (or replaces a queued one) first. Failures are reported, never thrown at the
 * page: data-failed (a run waiting for the data then fails with the same reason; 'retry-data' or
 * a new 'start' downloads again), device-lost (the WebGPU device went away: the run in progress
 * stops, and the next run starts on a fresh device), and worker-error for anything unexpected,
 * the worker staying usable.
 *
 * A download that sends nothing (or a trickle) for 20 s is given up (data-failed, saying so),
 * never waited on. The page's 'configure' may restrict the backends it tries (backendOrder); only
 * the test harness shortens that stall timeout. Nothing is read from the worker's name or URL.
 *
 * The same script is also the engine's helper on a CPU-only machine (helperParts.ts starts it
 * with the name HELPER_NAME): one bundle of TensorFlow.js to download, not two.
 */
/// <reference lib="webworker" />
import {
  backendProblem,
  BROWSER_ORDER,
  describeBackend,
  deviceLimits,
  isBackendName,
  resetEngine,
  selectBackend,
  type BackendChoice,
  type BackendName,
} from '../experiment/device/backend';
import type { ExperimentConfig } from '../experiment/config';
import { DRAW_MODELS } from '../experiment/results';
import { isRunEnd, type Phase, type RunEnd, type RunEvent } from '../experiment/events';
import { guess } from '../experiment/reference/forward';
import { INPUT_SIZE } from '../experiment/config';
import { describeError } from '../base/describeError';
import { fitIssues } from '../experiment/schedule/fit';
import { placeRun } from '../experiment/schedule/placement';
import { runPlaced } from '../experiment/schedule/runPlaced';
import { PauseGate, STAGES } from '../experiment/run/pause';
import type { SweepPlan } from '../experiment/sweep/sweep';
import { runSweep, type SweepEvent } from '../experiment/sweep/sweepRun';
import { loadWebGpuKernels } from '../experiment/step/webgpuLoader';
import { benchRows, DEFAULT_PLAN } from '../experiment/bench/plan';
import * as tf from '../experiment/tf';
import { DEFAULT_STALL_MS, loadMnistFromUrl, MnistDownloadError, MnistStallError } from '../data/loadBrowser';
import type { MnistData } from '../data/mnist';
import type { DrawWeights, EngineTestHooks, FromWorker, Guesses, ToWorker } from './protocol';
import { singleThreadedWasm, WASM_PATHS } from './wasmPaths';
import { helperParts, pageCores, warmHelpers } from './helperParts';
import { isHelperWorker, onPartMessage, type ToPartWorker } from './part.worker';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Where scripts/prepare-data.ts puts the gzipped MNIST files (public/data, copied to dist/data).
 * The build has a relative base ('./', vite.config.ts) so that dist/ runs from any folder of any
 * host; './' says nothing about which folder that is, but this worker's own script (self.location)
 * sits in the build's assets/ folder, so data/ is one level up from it. An absolute base (the dev
 * server's '/', where the worker is served from src/worker/, or a build with --base=/x/) is used
 * as is, against this origin.
 */
const DATA_URL =
  import.meta.env.BASE_URL === '' || import.meta.env.BASE_URL.startsWith('.')
    ? new URL('../data', self.location.href).href
    : new URL(`${import.meta.env.BASE_URL}data`, self.location.origin).href;
/** At most this many data-progress messages a second (the download arrives in many small chunks). */
const PROGRESS_INTERVAL_MS = 100;
/** tfjs-backend-webgpu registers itself with this priority. */
const WEBGPU_PRIORITY = 3;
/** How long a new run waits for a cancelled one to wind down before it starts anyway. */
const WIND_DOWN_MS = 5000;

const post = (message: FromWorker) => self.postMessage(message);
const reasonOf = (error: unknown) => describeError(error) || 'unknown error';

// ---------------------------------------------------------------------------------------------
// Backend

/** The backends the page's 'configure' asked for (its checked `?backend=`), or null for the browser's order. */
let askedBackends: readonly BackendName[] | null = null;
let configured = false;

/**
 * The backends to try: the browser's order, unless the page's 'configure' named others (the
 * browser tests do, to check the fallbacks). Nothing else sets it: not the worker's name, not a URL.
 */
function backendOrder(): { order: readonly BackendName[]; asked: boolean } {
  return askedBackends && askedBackends.length > 0
    ? { order: askedBackends, asked: true }
    : { order: BROWSER_ORDER, asked: false };
}

/**
 * The page's first message: the backend order and (harness only) test hooks; then both slow
 * things start at once, so the page learns the backend and sees the download before anyone
 * presses Run. Only the first counts.
 */
function configure(message: Extract<ToWorker, { type: 'configure' }>) {
  if (configured) return;
  configured = true;
  const names = Array.isArray(message.backends) ? message.backends.filter((name) => isBackendName(name)) : [];
  askedBackends = names.length > 0 ? names : null;
  configureData(message.testHooks);
  ensureBackend().catch((error: unknown) => reportError(error));
  ensureData().then(warmUp, () => undefined);
}

/**
 * On a CPU-only machine, while no run goes: helper workers started and given their backend, the
 * CPU kernel and the data, so that a run's first curve point comes within a second of Run.
 */
function warmUp() {
  // Only with what is already there: a lost backend or a failed download waits for the next run (or Retry).
  const [picked, loaded] = [backend, data];
  if (!picked || !loaded) return;
  picked.then(
    (choice) => {
      if (choice.name === 'wasm' && pageCores() > 1 && !current) warmHelpers(pageCores(), loaded);
    },
    () => undefined,
  );
}

interface WebGpuBackendLike {
  device?: GPUDevice;
}

/** The backend in use, or null while none is (before the first pick, after a lost device). */
let backend: Promise<BackendChoice> | null = null;
/** Set when the WebGPU device was lost; the next pick first replaces the dead backend. */
let webGpuLost = false;
/** Counts backend picks, so that a `lost` promise of an older device is ignored. */
let generation = 0;

function ensureBackend(): Promise<BackendChoice> {
  if (backend) return backend;
  const mine = ++generation;
  const picking = (async () => {
    singleThreadedWasm();
    if (webGpuLost) {
      webGpuLost = false;
      forgetWebGpuBackend();
    }
    const { order, asked } = backendOrder();
    // Unless told otherwise, a GPU that only draws in software (no GPU in the machine) loses to
    // wasm: SwiftShader's WebGPU is about thirty times slower here.
    const choice = await selectBackend(order, { wasmPaths: WASM_PATHS, avoidSoftwareGpu: !asked });
    post({ type: 'backend', choice });
    if (choice.name === 'webgpu') watchDevice(mine);
    return choice;
  })();
  backend = picking;
  // A failed pick (no backend at all) is tried again by the next run.
  picking.catch(() => {
    if (generation === mine) backend = null;
  });
  return picking;
}

function watchDevice(owner: number) {
  const device = (tf.backend() as unknown as WebGpuBackendLike).device;
  if (!device) return;
  device.lost.then(
    (info) => {
      if (generation !== owner || !backend) return;
      backend = null;
      webGpuLost = true;
      const why = info.reason && info.reason !== 'unknown' ? ` (${info.reason})` : '';
      const reason = `${info.message || 'the GPU device was lost'}${why}`;
      post({ type: 'device-lost', reason });
      current?.controller.abort(new Error(`GPU device lost: ${reason}`));
    },
    () => undefined,
  );
}

/**
 * Drops the dead webgpu backend but keeps its factory, so that selectBackend builds a fresh
 * backend on a fresh device (tfjs creates a backend instance only once per registration). Runs
 * only when no run holds tensors on the old backend.
 */
function forgetWebGpuBackend() {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) return;
  try {
    tf.removeBackend('webgpu');
  } catch (error) {
    post({ type: 'worker-error', reason: `could not release the lost WebGPU backend: ${reasonOf(error)}` });
  }
  tf.registerBackend('webgpu', factory, WEBGPU_PRIORITY);
}

/**
 * After a run failed (not a cancel): if the backend is poisoned (the failure came from inside it,
 * as wasm's "memory access out of bounds", tensors left behind, or a tiny op fails), TensorFlow.js starts
 * afresh and the next run picks its backend again, so it works without a reload; the page is told.
 */
async function recoverEngine(tensorsBefore: number, failure: string) {
  const problem = await backendProblem(tensorsBefore, failure).catch((error: unknown) => reasonOf(error));
  if (!problem) return;
  backend = null;
  generation++; // the old GPU device's 'lost' (it is destroyed now) is not a loss to report
  try {
    resetEngine();
    post({ type: 'engine-restarted', reason: problem });
  } catch (error) {
    post({ type: 'worker-error', reason: `the engine could not be restarted after ${problem}: ${reasonOf(error)}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Data

/**
 * The MNIST downloads are kept in the Cache API (not by the service worker, which never sees the
 * first visit's downloads: they start before it controls the page). The files never change, so
 * the cache is not versioned with the app; public/sw.js leaves it alone.
 */
const DATA_CACHE = 'subliminal-mnist-v2';
/** Older layouts' caches (v1 held the whole training set in one file): dropped on start. */
const OLD_DATA_CACHE = /^subliminal-mnist-v1$/;

async function openDataCache(): Promise<Cache | null> {
  try {
    return 'caches' in self ? await self.caches.open(DATA_CACHE) : null;
  } catch {
    return null; // e.g. storage disabled: download every time
  }
}

/** The responses cachedFetch answered from the data cache, so errors can say "cached", not "downloaded". */
const fromCache = new WeakSet<Response>();

/** fetch, answered from the data cache when it can be; a complete 200 response is stored as it streams. */
const cachedFetch: typeof fetch = async (input, init) => {
  const cache = await openDataCache();
  if (!cache) return fetch(input, init);
  const request = new Request(input, init);
  const hit = await cache.match(request, { ignoreVary: true }).catch(() => undefined);
  if (hit) {
    fromCache.add(hit);
    return hit;
  }
  // After a failure, past the HTTP cache: it may hold the broken body, and revalidating it (304)
  // would hand it back again.
  const response = await fetch(request, reloadNext ? { cache: 'reload' } : undefined);
  // A download that breaks off makes put() reject, and nothing is stored.
  if (response.status === 200 && response.body) cache.put(request, response.clone()).catch(() => undefined);
  return response;
};

/** How long a download may send nothing (or a trickle): DEFAULT_STALL_MS, unless the harness's hooks say otherwise. */
let stallMs = DEFAULT_STALL_MS;
/** Set after a failed load: the next downloads bypass the HTTP cache (Retry). */
let reloadNext = false;
/** Training images the coming run needs (the page's 'prepare', or the last run's); the first shard at least. */
let wantedTrainImages = 1;

/** Takes the harness's test hooks (protocol.ts, EngineTestHooks) and drops caches of older data layouts. */
function configureData(hooks: EngineTestHooks | undefined) {
  const asked = Number(hooks?.stallMs);
  if (Number.isFinite(asked) && asked > 0) stallMs = asked;
  void self.caches
    ?.keys()
    .then((names) => Promise.all(names.filter((name) => OLD_DATA_CACHE.test(name)).map((n) => self.caches.delete(n))))
    .catch(() => undefined);
}

/** The page's 'prepare': download now what a run of `config` will read. */
function prepareData(config: ExperimentConfig) {
  const wanted = Number(config?.trainImages);
  if (!Number.isInteger(wanted) || wanted < 1) return;
  ensureData(wanted).then(warmUp, () => undefined);
}

/** The page's sentence for a failed load: loadBrowser's own (it names the URL and the copy's source), and the way on. */
function dataFailure(error: unknown): string {
  if (!(error instanceof MnistDownloadError)) return `MNIST could not be loaded: ${reasonOf(error)}`;
  const wayOn =
    error.source === 'cached'
      ? 'The broken copy was deleted from this browser: Retry downloads a fresh one.'
      : error instanceof MnistStallError
        ? 'Retry when the connection is back.'
        : '';
  return wayOn ? `${error.message}. ${wayOn}` : error.message;
}

let data: MnistData | null = null;
let dataLoading: Promise<MnistData> | null = null;

/**
 * MNIST with at least `trainImages` training images (default: what the page last prepared): the
 * test set and the training shards that cover them, downloading (or reading from the data cache)
 * only the shards not yet held. A call while a load is going waits for it, then loads more if needed.
 */
function ensureData(trainImages?: number): Promise<MnistData> {
  if (trainImages !== undefined) wantedTrainImages = trainImages;
  const need = trainImages ?? wantedTrainImages;
  if (data && data.train.count >= need) return Promise.resolve(data);
  if (dataLoading) return dataLoading.then(() => ensureData(need));
  dataLoading = (async () => {
    let lastPost = 0;
    try {
      const loaded = await loadMnistFromUrl(DATA_URL, {
        fetch: cachedFetch,
        isCached: (response) => fromCache.has(response),
        stallMs,
        trainImages: need,
        have: data,
        onProgress: (loadedBytes, totalBytes) => {
          const now = performance.now();
          if (now - lastPost < PROGRESS_INTERVAL_MS && loadedBytes !== totalBytes) return;
          lastPost = now;
          post({ type: 'data-progress', loadedBytes, totalBytes });
        },
      });
      data = loaded;
      reloadNext = false;
      post({ type: 'data-ready' });
      return loaded;
    } catch (error) {
      // A stored copy may be what is broken (a file that failed its checks was stored as it
      // streamed): that one is deleted, the good ones kept, and the retry downloads afresh.
      reloadNext = true;
      const cache = await openDataCache();
      if (error instanceof MnistDownloadError) await cache?.delete(error.url).catch(() => undefined);
      else await self.caches?.delete(DATA_CACHE).catch(() => undefined);
      post({ type: 'data-failed', reason: dataFailure(error) });
      throw error;
    } finally {
      dataLoading = null;
    }
  })();
  return dataLoading;
}

// ---------------------------------------------------------------------------------------------
// Runs

/** What a start asks for: one run, or a sweep (the experiment at each value, one after another). */
export type Job =
  { kind: 'run'; config: ExperimentConfig } | { kind: 'sweep'; base: ExperimentConfig; plan: SweepPlan };

interface Run {
  runId: number;
  job: Job;
  controller: AbortController;
  /** The lecturer's pause, passed on to the run's parts. */
  pause: PauseGate;
  /** The phase of the last event sent, for a 'cancelled' or 'failed' the worker makes itself. */
  phase: Phase;
  /** A sweep's value running now (its index and value), for a stop the worker makes itself. */
  sweepAt: { index: number; value: string };
}

/** The latest job asked for: waiting for the previous one to stop, for data or a backend, or running. */
let current: Run | null = null;
/** Settles when the job executing last has ended and let go of its tensors. */
let lastExecution: Promise<void> = Promise.resolve();

function sendRun(run: Run, event: RunEvent) {
  if ('phase' in event && event.type !== 'metrics') run.phase = event.phase;
  handOverWeights(run, event);
  post({ type: 'run', runId: run.runId, event });
}

function sendSweep(run: Run, event: SweepEvent) {
  if (event.type === 'sweep-run') {
    handOverWeights(run, event.event);
    run.sweepAt = { index: event.index, value: event.value };
    if ('phase' in event.event && event.event.type !== 'metrics') run.phase = event.event.phase;
  }
  post({ type: 'sweep', runId: run.runId, event });
}

/** A job's end that the worker makes itself (cancelled while waiting, failed before any run). */
function sendEnd(run: Run, event: Exclude<RunEnd, { type: 'finished' }>) {
  if (run.job.kind === 'run') sendRun(run, event);
  else sendSweep(run, { type: 'sweep-stopped', ...run.sweepAt, event });
}

async function execute(run: Run): Promise<void> {
  const { signal } = run.controller;
  let ended = false;
  let failure: string | null = null;
  /** Tensors held when the job began on its backend; null before it got one. */
  let tensorsBefore: number | null = null;
  const end = (event: RunEnd | Extract<SweepEvent, { type: 'sweep-finished' | 'sweep-stopped' }>) => {
    ended = true;
    const last = 'event' in event ? event.event : event;
    failure = last.type === 'failed' ? last.reason : null;
    if (event.type === 'sweep-finished' || event.type === 'sweep-stopped') sendSweep(run, event);
    else if (event.type === 'finished') sendRun(run, event);
    else sendEnd(run, event);
  };
  const configs = run.job.kind === 'run' ? [run.job.config] : run.job.plan.configs;
  try {
    // Waiting for the download or the backend can itself be cancelled.
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(signal.reason);
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
    aborted.catch(() => undefined);
    // Fit before you run: a config that cannot hold even one model fails now, not mid-run (and
    // without waiting for the download); the page always measures alignment, so it is counted.
    await Promise.race([ensureBackend(), aborted]);
    const unfit = new Set(
      configs.flatMap((config) => fitIssues(config, deviceLimits(), { alignment: true }).map((issue) => issue.message)),
    );
    if (unfit.size > 0) return end({ type: 'failed', phase: 'prepare', reason: [...unfit].join('; ') });
    const [loaded, choice] = await Promise.race([
      Promise.all([ensureData(Math.max(...configs.map((c) => c.trainImages))), ensureBackend()]),
      aborted,
    ]);
    if (signal.aborted) throw signal.reason;
    tensorsBefore = tf.memory().numTensors;
    // The page always measures why the trait travels (alignment series, the one-step experiment).
    const alignment = true;
    // Placed as the command line places runs; on a CPU-only machine, parts go to helper workers.
    const runOne = (config: ExperimentConfig) =>
      runPlaced(
        config,
        loaded,
        placeRun({
          config,
          backend: choice.name,
          limits: deviceLimits(),
          alignment,
          cores: choice.name === 'wasm' ? pageCores() : 1,
        }),
        {
          signal,
          alignment,
          pause: run.pause,
          backendLabel: describeBackend(choice),
          workerWord: 'worker',
          startPart: helperParts(config, loaded, alignment),
        },
      );
    if (run.job.kind === 'run') {
      for await (const event of runOne(run.job.config)) {
        if (event.type === 'weights') keepWeights(run, event.weights);
        else if (isRunEnd(event)) end(event);
        else sendRun(run, event);
      }
    } else {
      for await (const event of runSweep(run.job.base, run.job.plan, runOne)) {
        if (event.type === 'sweep-run' && event.event.type === 'weights') keepWeights(run, event.event.weights);
        else if (event.type === 'sweep-finished' || event.type === 'sweep-stopped') end(event);
        else sendSweep(run, event);
      }
    }
    if (!ended) end({ type: 'failed', phase: run.phase, reason: 'the run stopped without a result' });
  } catch (error) {
    if (ended) return;
    if (signal.aborted) end({ type: 'cancelled', phase: run.phase, step: 0 });
    else end({ type: 'failed', phase: run.phase, reason: reasonOf(error) });
  } finally {
    if (failure !== null && tensorsBefore !== null && !signal.aborted) await recoverEngine(tensorsBefore, failure);
  }
}

/**
 * Runs one at a time: a new start cancels the run before it and waits for it to end, so that two
 * runs never share the device. A start replaced while it waits ends as cancelled without running.
 */
async function start(runId: number, job: Job, stopAtStages = false) {
  const run: Run = {
    runId,
    job,
    controller: new AbortController(),
    pause: new PauseGate(stopAtStages ? STAGES : []),
    phase: 'prepare',
    sweepAt: { index: 0, value: '' },
  };
  current?.controller.abort(new Error('replaced by a new run'));
  current = run;
  // A run stuck on a lost GPU may never settle; do not let it block every later run.
  await Promise.race([lastExecution, new Promise((resolve) => setTimeout(resolve, WIND_DOWN_MS))]);
  if (current !== run || run.controller.signal.aborted) {
    sendEnd(run, { type: 'cancelled', phase: 'prepare', step: 0 });
    if (current === run) current = null;
    return;
  }
  lastExecution = execute(run).finally(() => {
    if (current === run) current = null;
    warmUp(); // for the next run
  });
}

// ---------------------------------------------------------------------------------------------
// Draw a digit

/**
 * Model 0's latest weights of the latest run that sent any, for reading the page's drawings. They
 * stay after the run ends (and while the next one prepares) and are replaced as a whole by the
 * next run's first weights, so the three guesses never mix two runs. The big arrays stay here
 * while a run trains: the page hears only which models are ready, and gets the arrays once, at
 * the end (handOverWeights), to keep with the saved run.
 */
let drawWeights: { runId: number; models: DrawWeights; handedOver?: boolean } | null = null;

function announceModels(runId: number) {
  const held = drawWeights?.models ?? {};
  post({ type: 'models-ready', runId, models: DRAW_MODELS.filter((name) => held[name]) });
}

function keepWeights(run: Run, weights: DrawWeights) {
  if (drawWeights?.runId !== run.runId) drawWeights = { runId: run.runId, models: {} };
  Object.assign(drawWeights.models, weights);
  drawWeights.handedOver = false; // a sweep's next value: its own final weights go too
  announceModels(run.runId);
}

/**
 * Training is over once a run (or a sweep's value) is evaluated or finished: just before the first
 * of those, its last weights go to the page once, to keep with the saved run.
 */
function handOverWeights(run: Run, event: RunEvent) {
  if (event.type !== 'evaluated' && event.type !== 'finished') return;
  if (drawWeights?.runId !== run.runId || drawWeights.handedOver) return;
  drawWeights.handedOver = true;
  post({ type: 'final-weights', runId: run.runId, weights: drawWeights.models });
}

/**
 * A saved run shown again (the page shows one only while no run trains): its kept weights read
 * drawings from now on; a record that kept none leaves nothing to read with, and the page says so.
 */
function showSavedWeights(runId: number, weights: DrawWeights | null) {
  drawWeights = weights ? { runId, models: { ...weights } } : null;
  announceModels(runId);
}

/** A plain forward pass per model on the host (well under a millisecond each), between two training steps. */
function classify(requestId: number, pixels: number[]) {
  const guesses: Guesses = {};
  if (drawWeights && Array.isArray(pixels) && pixels.length === INPUT_SIZE) {
    for (const name of DRAW_MODELS) {
      const model = drawWeights.models[name];
      if (model) guesses[name] = guess(model, pixels);
    }
  }
  post({ type: 'guesses', requestId, guesses });
}

/** The page's benchmark: every cell in turn, on this worker's backend, while no run is going. */
async function bench(sizes: number[], steps: number) {
  try {
    current?.controller.abort(new Error('replaced by the benchmark'));
    await lastExecution;
    const choice = await ensureBackend();
    const gpu = choice.name === 'webgpu';
    const plan = {
      ...DEFAULT_PLAN,
      sizes,
      steps,
      gpu,
      maxBufferBytes: gpu ? deviceLimits().maxBufferBytes : undefined,
      webGpuKernels: gpu ? await loadWebGpuKernels() : undefined,
    };
    for await (const row of benchRows(plan)) post({ type: 'bench-row', row });
    post({ type: 'bench-done' });
  } catch (error) {
    post({ type: 'bench-failed', reason: reasonOf(error) });
  }
}

function cancel(runId: number) {
  if (current?.runId === runId) current.controller.abort(new Error('cancelled by the user'));
}

// ---------------------------------------------------------------------------------------------
// Messages and unexpected failures

self.onmessage = (event: MessageEvent<ToWorker>) => {
  // This script as a helper worker (helperParts.ts): its own messages, none of the engine's.
  if (isHelperWorker()) return void onPartMessage(event as unknown as MessageEvent<ToPartWorker>);
  const message = event.data;
  try {
    switch (message.type) {
      case 'configure':
        configure(message);
        break;
      case 'prepare':
        prepareData(message.config);
        break;
      case 'start':
        void start(message.runId, { kind: 'run', config: message.config }, message.stopAtStages).catch(reportError);
        break;
      case 'pause':
      case 'resume':
        if (current?.runId === message.runId) current.pause[message.type]();
        break;
      case 'sweep':
        void start(message.runId, { kind: 'sweep', base: message.base, plan: message.plan }).catch(reportError);
        break;
      case 'cancel':
        cancel(message.runId);
        break;
      case 'retry-data':
        ensureData().catch(() => undefined);
        break;
      case 'bench':
        void bench(message.sizes, message.steps);
        break;
      case 'ping':
        post({ type: 'pong' });
        break;
      case 'classify':
        classify(message.requestId, message.pixels);
        break;
      case 'draw-weights':
        showSavedWeights(message.runId, message.weights);
        break;
      default:
        post({ type: 'worker-error', reason: `unknown message ${JSON.stringify(message)}` });
    }
  } catch (error) {
    reportError(error);
  }
};

function reportError(error: unknown) {
  post({ type: 'worker-error', reason: reasonOf(error) });
}

self.addEventListener('error', (event) => {
  event.preventDefault();
  const where = event.filename ? ` (${event.filename}:${event.lineno})` : '';
  post({
    type: 'worker-error',
    reason: `${event.error ? reasonOf(event.error) : event.message || 'unknown error'}${where}`,
  });
});
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportError(event.reason);
});

// Nothing starts until the page's 'configure' (configure()): a helper never gets one, and the
// backend order must be known first. A 'start' without it picks the browser's order itself.
