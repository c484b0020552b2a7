/**
 * A helper of the engine worker on a CPU-only machine: trains its share of a run's models on its
 * own single-threaded wasm backend and posts every run event back (helperParts.ts). 'cancel' stops it
 * between two steps.
 *
 * Not a worker script of its own: a helper is the engine worker's own script started with the
 * name HELPER_NAME (engine.worker.ts hands its messages here), so that the page downloads
 * TensorFlow.js once, not once per worker bundle.
 */
/// <reference lib="webworker" />
import { selectBackend } from '../experiment/device/backend';
import { runInChunks } from '../experiment/schedule/chunkedRun';
import type { ExperimentConfig } from '../experiment/config';
import type { RunEvent } from '../experiment/events';
import { describeError } from '../base/describeError';
import { weightBuffers } from '../experiment/model/modelRows';
import type { MnistData } from '../data/mnist';
import { PauseGate, type Stage } from '../experiment/run/pause';
import { loadSimdKernel } from '../experiment/step/simd/simdRun';
import type { CpuKernels } from '../experiment/step/trainingPath';
import { singleThreadedWasm, WASM_PATHS } from './wasmPaths';

declare const self: DedicatedWorkerGlobalScope;

export type ToPartWorker =
  /** Get ready while the page sits idle: the backend, the CPU kernel compiled, the data in hand. */
  | { type: 'warm'; data: MnistData }
  | {
      type: 'run';
      config: ExperimentConfig;
      chunks: number[][];
      /** The data, unless this helper was warmed with the same. */
      data?: MnistData;
      alignment: boolean;
      stopAt: readonly Stage[];
      /** 'stock' when the engine worker's known-answer check found the CPU kernel wrong here. */
      cpuKernels?: CpuKernels;
    }
  | { type: 'cancel' }
  | { type: 'pause' }
  | { type: 'resume' };
export type FromPartWorker = { type: 'event'; event: RunEvent };

/** The name helperParts.ts gives the helper workers: the role, set by the engine's own code, no options in it. */
export const HELPER_NAME = 'subliminal-helper';

/** Is this worker a helper (not the engine)? */
export const isHelperWorker = (): boolean => typeof self !== 'undefined' && self.name === HELPER_NAME;

const controller = new AbortController();
let pause = new PauseGate();
/** Settles once this helper has its backend and kernel; `data` is what it was warmed with. */
let ready: Promise<void> | null = null;
let warmData: MnistData | null = null;

function getReady(): Promise<void> {
  ready ??= (async () => {
    singleThreadedWasm();
    await selectBackend(['wasm'], { wasmPaths: WASM_PATHS });
    await loadSimdKernel();
  })().catch((error: unknown) => {
    ready = null; // tried again by the run, which reports the reason
    throw error;
  });
  return ready;
}
/** Model 0's weights (about a megabyte a model) are handed over, not copied. */
const post = (event: RunEvent) =>
  self.postMessage(
    { type: 'event', event } satisfies FromPartWorker,
    event.type === 'weights' ? weightBuffers(event.weights) : [],
  );

export async function onPartMessage(message: MessageEvent<ToPartWorker>): Promise<void> {
  if (message.data.type === 'cancel') {
    controller.abort(new Error('cancelled'));
    return;
  }
  if (message.data.type === 'pause' || message.data.type === 'resume') {
    pause[message.data.type]();
    return;
  }
  if (message.data.type === 'warm') {
    warmData = message.data.data;
    // A failure here is the run's to report, when it comes.
    await getReady().catch(() => undefined);
    return;
  }
  const { config, chunks, alignment, stopAt, cpuKernels } = message.data;
  const data = message.data.data ?? warmData;
  pause = new PauseGate(stopAt);
  try {
    if (!data) throw new Error('a helper got a run without the data');
    await getReady();
    for await (const event of runInChunks(config, data, chunks, {
      signal: controller.signal,
      alignment,
      pause,
      cpuKernels,
    }))
      post(event);
  } catch (error) {
    post({ type: 'failed', phase: 'prepare', reason: describeError(error) });
  }
}
