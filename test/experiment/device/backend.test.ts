import { describe, expect, it } from 'vitest';
import { describeBackend, NoBackendError, selectBackend } from '../../../src/experiment/device/backend';
import * as tf from '../../../src/experiment/tf';

// Node has neither navigator.gpu nor WebGL, so the browser order must fall back, saying why.
describe('backend selection', () => {
  it('falls back from webgpu and webgl to wasm, with a reason for each', async () => {
    const choice = await selectBackend(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.adapter).toBeNull();
    expect(choice.fallbacks.map((f) => f.backend)).toEqual(['webgpu', 'webgl']);
    expect(choice.fallbacks[0].reason).toMatch(/navigator\.gpu is missing/);
    expect(choice.fallbacks[1].reason.length).toBeGreaterThan(0);
    expect(describeBackend(choice)).toMatch(/^wasm — fell back: webgpu: .*; webgl: /);
  });

  it('names the backend it ended on even after a failed attempt', async () => {
    const choice = await selectBackend(['webgl', 'cpu']);
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(describeBackend({ name: 'webgpu', adapter: 'Acme GPU', fallbacks: [] })).toBe('webgpu (Acme GPU)');
  });

  it('throws NoBackendError listing every reason when nothing starts', async () => {
    const error = await selectBackend(['webgpu', 'webgl']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoBackendError);
    expect((error as NoBackendError).fallbacks.map((f) => f.backend)).toEqual(['webgpu', 'webgl']);
    expect((error as Error).message).toMatch(/webgpu: .*; webgl: /);
  });
});
