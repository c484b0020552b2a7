/**
 * A helper of the engine worker on a CPU-only machine: trains its share of a run's models on its
 * own single-threaded wasm backend and posts every run event back (helperParts.ts). 'cancel' stops it
 * between two steps.
 */
/// <reference lib="webworker" />
import { selectBackend } from '../experiment/backend';
import { runInChunks } from '../experiment/schedule/chunkedRun';
import type { ExperimentConfig } from '../experiment/config';
import type { RunEvent } from '../experiment/results';
import { describeError } from '../experiment/describeError';
import { weightBuffers } from '../experiment/modelRows';
import type { MnistData } from '../data/mnist';
import { singleThreadedWasm, WASM_PATHS } from './wasmPaths';

declare const self: DedicatedWorkerGlobalScope;

export type ToPartWorker =
  | { type: 'run'; config: ExperimentConfig; chunks: number[][]; data: MnistData; alignment: boolean }
  | { type: 'cancel' };
export type FromPartWorker = { type: 'event'; event: RunEvent };

const controller = new AbortController();
/** Model 0's weights (about a megabyte a model) are handed over, not copied. */
const post = (event: RunEvent) =>
  self.postMessage(
    { type: 'event', event } satisfies FromPartWorker,
    event.type === 'weights' ? weightBuffers(event.weights) : [],
  );

self.onmessage = async (message: MessageEvent<ToPartWorker>) => {
  if (message.data.type === 'cancel') {
    controller.abort(new Error('cancelled'));
    return;
  }
  const { config, chunks, data, alignment } = message.data;
  try {
    singleThreadedWasm();
    await selectBackend(['wasm'], { wasmPaths: WASM_PATHS });
    for await (const event of runInChunks(config, data, chunks, { signal: controller.signal, alignment })) post(event);
  } catch (error) {
    post({ type: 'failed', phase: 'prepare', reason: describeError(error) });
  }
};
