/**
 * Worker threads that run TypeScript modules: the command line runs under tsx, whose loader a
 * worker does not inherit, so each worker registers it before importing its module.
 */
import { Worker } from 'node:worker_threads';
import { WORKER_RESOURCE_LIMITS } from './workerLimits';

export function startTypeScriptWorker(module: URL, workerData: unknown): Worker {
  const loader = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(loader)}).then((api) => { api.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(source, { eval: true, workerData, resourceLimits: WORKER_RESOURCE_LIMITS });
}
