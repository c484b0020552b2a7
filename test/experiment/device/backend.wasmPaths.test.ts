// Its own file: tfjs takes wasm paths only before the wasm backend first starts in a process.
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/experiment/device/backend';

describe('backend selection with a broken wasm path map', () => {
  it('passes over wasm only, with the reason, and still starts the next backend', async () => {
    const choice = await selectBackend(['wasm', 'cpu'], { wasmPaths: { 'tfjs-backend-wasm.wasm': '/nowhere.wasm' } });
    expect(choice.name).toBe('cpu');
    expect(choice.fallbacks.map((f) => f.backend)).toEqual(['wasm']);
    expect(choice.fallbacks[0].reason).toMatch(/no entries found/i);
  });
});
