/**
 * The engine worker's backend with fake tools (the pick, the WebGPU device, the engine's reset):
 * picked once, in the order the page asked for; a lost device reported once and replaced by the
 * next pick; a poisoned engine restarted; a stale device's loss ignored.
 */
import { describe, expect, it } from 'vitest';
import { BROWSER_ORDER, type BackendChoice, type BackendName } from '../../src/experiment/device/backend';
import { BackendLifecycle, type BackendTools } from '../../src/worker/backendLifecycle';
import type { FromWorker } from '../../src/worker/protocol';

const choice = (name: BackendName): BackendChoice => ({ name, adapter: null, fallbacks: [] });

/** A device whose loss the test decides. */
function fakeDevice() {
  let lose: (info: GPUDeviceLostInfo) => void = () => undefined;
  const lost = new Promise<GPUDeviceLostInfo>((resolve) => (lose = resolve));
  return {
    device: { lost },
    lose: (message: string, reason: GPUDeviceLostReason | 'unknown' = 'unknown') =>
      lose({ message, reason } as GPUDeviceLostInfo),
  };
}

function lifecycle(picks: (BackendName | Error)[], tools: Partial<BackendTools> = {}) {
  const posted: FromWorker[] = [];
  const lostReasons: string[] = [];
  const log: string[] = [];
  const asked: { order?: readonly BackendName[]; avoidSoftwareGpu?: boolean }[] = [];
  let device = fakeDevice();
  const backend = new BackendLifecycle(
    (message) => posted.push(message),
    (reason) => lostReasons.push(reason),
    {
      select: async (order, options) => {
        asked.push({ order, avoidSoftwareGpu: options?.avoidSoftwareGpu });
        const next = picks.shift() ?? 'cpu';
        if (next instanceof Error) throw next;
        device = fakeDevice();
        return choice(next);
      },
      device: () => device.device,
      forgetWebGpu: () => void log.push('forget webgpu'),
      problem: async () => null,
      reset: () => void log.push('reset'),
      ...tools,
    },
  );
  return { backend, posted, lostReasons, log, asked, device: () => device };
}

/** Lets the device's `lost` reactions run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BackendLifecycle', () => {
  it('picks once, in the browser order avoiding software GPUs, and tells the page', async () => {
    const { backend, posted, asked } = lifecycle(['wasm']);
    expect(backend.current).toBeNull();
    const [a, b] = await Promise.all([backend.ensure(), backend.ensure()]);
    expect(a).toBe(b);
    expect(await backend.current).toBe(a);
    expect(asked).toEqual([{ order: BROWSER_ORDER, avoidSoftwareGpu: true }]);
    expect(posted).toEqual([{ type: 'backend', choice: choice('wasm') }]);
  });

  it("tries only the page's known names when it names any, software GPUs included", async () => {
    const named = lifecycle(['cpu']);
    named.backend.configure(['webgpu', 'bogus', 'cpu']);
    await named.backend.ensure();
    expect(named.asked).toEqual([{ order: ['webgpu', 'cpu'], avoidSoftwareGpu: false }]);
    const unknown = lifecycle(['wasm']);
    unknown.backend.configure(['bogus']);
    await unknown.backend.ensure();
    expect(unknown.asked[0].order).toBe(BROWSER_ORDER);
  });

  it('a failed pick is tried again by the next call', async () => {
    const { backend, asked } = lifecycle([new Error('no backend could start'), 'cpu']);
    await expect(backend.ensure()).rejects.toThrow('no backend could start');
    expect(backend.current).toBeNull();
    expect(await backend.ensure()).toEqual(choice('cpu'));
    expect(asked).toHaveLength(2);
  });
});

describe('BackendLifecycle after a lost device', () => {
  it('a lost WebGPU device: reported once with its reason, the run told, the next pick on a fresh backend', async () => {
    const { backend, posted, lostReasons, log, device } = lifecycle(['webgpu', 'webgpu']);
    await backend.ensure();
    device().lose('the GPU process crashed', 'destroyed');
    await settle();
    expect(posted.at(-1)).toEqual({ type: 'device-lost', reason: 'the GPU process crashed (destroyed)' });
    expect(lostReasons).toEqual(['the GPU process crashed (destroyed)']);
    expect(backend.current).toBeNull();
    expect(log).toEqual([]);
    await backend.ensure();
    expect(log).toEqual(['forget webgpu']);
    // The loss was dealt with: a later pick does not forget again.
    expect(posted.filter((message) => message.type === 'backend')).toHaveLength(2);
  });

  it('a device lost without words still says so', async () => {
    const { backend, posted, device } = lifecycle(['webgpu']);
    await backend.ensure();
    device().lose('');
    await settle();
    expect(posted.at(-1)).toEqual({ type: 'device-lost', reason: 'the GPU device was lost' });
  });

  it('a failed release of the lost backend is reported, and the pick goes on', async () => {
    const { backend, posted, device } = lifecycle(['webgpu', 'wasm'], {
      forgetWebGpu: () => {
        throw new Error('removeBackend failed');
      },
    });
    await backend.ensure();
    device().lose('gone');
    await settle();
    expect(await backend.ensure()).toEqual(choice('wasm'));
    expect(posted).toContainEqual({
      type: 'worker-error',
      reason: 'could not release the lost WebGPU backend: removeBackend failed',
    });
  });
});

describe('BackendLifecycle after a failed run', () => {
  it('a poisoned engine is restarted and the page told; the destroyed device is no loss to report', async () => {
    const problems: [number, string][] = [];
    const { backend, posted, lostReasons, log, device } = lifecycle(['webgpu', 'wasm'], {
      problem: async (tensorsBefore, failure = '') => {
        problems.push([tensorsBefore, failure]);
        return 'the failed run left 3 tensors';
      },
    });
    await backend.ensure();
    const oldDevice = device();
    await backend.recover(7, 'boom');
    expect(problems).toEqual([[7, 'boom']]);
    expect(log).toEqual(['reset']);
    expect(posted.at(-1)).toEqual({ type: 'engine-restarted', reason: 'the failed run left 3 tensors' });
    expect(backend.current).toBeNull();
    oldDevice.lose('destroyed by the reset', 'destroyed');
    await settle();
    expect(lostReasons).toEqual([]);
    expect(posted.some((message) => message.type === 'device-lost')).toBe(false);
    expect(await backend.ensure()).toEqual(choice('wasm'));
  });

  it('a healthy engine is kept after a failed run; a reset that fails is reported', async () => {
    const healthy = lifecycle(['wasm']);
    const picked = await healthy.backend.ensure();
    await healthy.backend.recover(0, 'a config problem');
    expect(await healthy.backend.current).toBe(picked);
    expect(healthy.log).toEqual([]);
    const broken = lifecycle(['wasm'], {
      problem: async () => 'wasm failed inside',
      reset: () => {
        throw new Error('dispose threw');
      },
    });
    await broken.backend.ensure();
    await broken.backend.recover(0, 'memory access out of bounds');
    expect(broken.posted.at(-1)).toEqual({
      type: 'worker-error',
      reason: 'the engine could not be restarted after wasm failed inside: dispose threw',
    });
  });
});
