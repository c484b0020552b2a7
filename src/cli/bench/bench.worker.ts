/**
 * A worker thread of the CPU benchmark: measures its share of a stack, reports 'ready' after its
 * warm-up and starts timing on 'go', so that all threads' timed steps overlap.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startNodeBackend, type NodeBackendRequest } from '../nodeBackend';
import { measureCell, type CellSpec } from '../../experiment/bench/cells';

const { backend, spec } = workerData as { backend: NodeBackendRequest; spec: CellSpec };
await startNodeBackend(backend);
const go = new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
const result = await measureCell(spec, undefined, async () => {
  parentPort!.postMessage({ type: 'ready' });
  await go;
});
parentPort!.postMessage({ type: 'result', result });
