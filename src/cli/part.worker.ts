/**
 * One worker thread of a parallel run (threadParts.ts): trains its share of the models (in sub-chunks that fit its
 * memory) on its own backend, and posts every run event to the parent. A 'cancel' message stops it
 * between two steps.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MnistData } from '../data/mnist';
import { runInChunks } from '../experiment/schedule/chunkedRun';
import type { ExperimentConfig } from '../experiment/config';
import type { StackMode } from '../experiment/model/mlp';
import type { CpuKernels } from '../experiment/step/trainingPath';
import { describeBackend } from '../experiment/device/backend';
import { describeError } from '../base/describeError';
import { startNodeBackend, type NodeBackendRequest } from './nodeBackend';

export interface PartWorkerData {
  config: ExperimentConfig;
  /** The parent's MNIST, in shared memory (sharedMnist.ts): read, never copied or loaded again. */
  data: MnistData;
  /** Sub-chunks of global model indices, run one after another. */
  chunks: number[][];
  backend: NodeBackendRequest;
  mode?: StackMode;
  cpuKernels?: CpuKernels;
  alignment?: boolean;
  progressIntervalMs?: number;
}

const job = workerData as PartWorkerData;
const controller = new AbortController();
parentPort!.on('message', (message: unknown) => {
  if (message === 'cancel') controller.abort();
});

try {
  const choice = await startNodeBackend(job.backend);
  for await (const event of runInChunks(job.config, job.data, job.chunks, {
    signal: controller.signal,
    mode: job.mode,
    cpuKernels: job.cpuKernels,
    alignment: job.alignment,
    backendLabel: describeBackend(choice),
    progressIntervalMs: job.progressIntervalMs,
  })) {
    parentPort!.postMessage(event);
  }
} catch (error) {
  parentPort!.postMessage({ type: 'failed', phase: 'prepare', reason: describeError(error) });
}
parentPort!.close();
