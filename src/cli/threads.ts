/**
 * Worker threads that run the command line's TypeScript worker modules. Started from sources
 * (`npm run experiment`), a worker runs its module compiled to JavaScript (compiledWorkers.ts);
 * should compiling fail, it registers tsx's loader, which a worker does not inherit, and imports
 * the module as it is. The bundle (`npm run bundle`) replaces this file with its own stand-in.
 */
import { Worker } from 'node:worker_threads';
import { describeError } from '../base/describeError';
import { compiledWorker } from './compiledWorkers';
import { WORKER_RESOURCE_LIMITS } from './workerLimits';

let warned = false;

export function startTypeScriptWorker(module: URL, workerData: unknown): Worker {
  try {
    return new Worker(compiledWorker(module), { workerData, resourceLimits: WORKER_RESOURCE_LIMITS });
  } catch (error) {
    if (!warned)
      console.error(`warning: worker threads run through tsx (compiling them failed: ${describeError(error)})`);
    warned = true;
  }
  const loader = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(loader)}).then((api) => { api.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(source, { eval: true, workerData, resourceLimits: WORKER_RESOURCE_LIMITS });
}
