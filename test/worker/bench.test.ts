/** The page's benchmark in the engine worker: the run in progress stops first; a failure is reported, not thrown. */
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/worker/bench';
import type { FromWorker } from '../../src/worker/protocol';
import { WASM_LIMITS } from '../../src/experiment/schedule/chunks';

describe('runBench', () => {
  it('stops any run before it asks for the backend, and reports a backend that cannot start', async () => {
    const log: string[] = [];
    const posted: FromWorker[] = [];
    await runBench([1], 1, {
      post: (message) => posted.push(message),
      jobs: { stopAll: async (reason) => void log.push(`stop all: ${reason.message}`) },
      backend: {
        ensure: async () => {
          log.push('backend');
          throw new Error('no backend could start');
        },
        limits: () => WASM_LIMITS,
      },
    });
    expect(log).toEqual(['stop all: replaced by the benchmark', 'backend']);
    expect(posted).toEqual([{ type: 'bench-failed', reason: 'no backend could start' }]);
  });
});
