/** The page's benchmark (`?bench`): every cell in turn, on the engine worker's backend, while no run is going. */
import { benchRows, DEFAULT_PLAN } from '../experiment/bench/plan';
import { loadWebGpuKernels } from '../experiment/step/webgpuLoader';
import { describeError } from '../base/describeError';
import type { BackendLifecycle } from './backendLifecycle';
import type { Jobs } from './jobs';
import type { FromWorker } from './protocol';

export interface BenchDeps {
  post: (message: FromWorker) => void;
  jobs: Pick<Jobs, 'stopAll'>;
  backend: Pick<BackendLifecycle, 'ensure' | 'limits'>;
}

/** Stops the run in progress, then measures; ends with 'bench-done' or 'bench-failed'. */
export async function runBench(sizes: number[], steps: number, { post, jobs, backend }: BenchDeps): Promise<void> {
  try {
    await jobs.stopAll(new Error('replaced by the benchmark'));
    const choice = await backend.ensure();
    const gpu = choice.name === 'webgpu';
    const plan = {
      ...DEFAULT_PLAN,
      sizes,
      steps,
      gpu,
      maxBufferBytes: gpu ? backend.limits().maxBufferBytes : undefined,
      webGpuKernels: gpu ? await loadWebGpuKernels() : undefined,
    };
    for await (const row of benchRows(plan)) post({ type: 'bench-row', row });
    post({ type: 'bench-done' });
  } catch (error) {
    post({ type: 'bench-failed', reason: describeError(error) || 'unknown error' });
  }
}
