/** Only known backend names from the page's `?backend=` reach the engine worker (issue 19). */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../src/experiment/device/backend';
import { pageBackends } from '../../src/worker/client';

describe('pageBackends', () => {
  it('keeps known names in the order given, once each', () => {
    expect(pageBackends('wasm,cpu')).toEqual(['wasm', 'cpu']);
    expect(pageBackends('webgpu, wasm ,webgpu')).toEqual(['webgpu', 'wasm']);
    expect(pageBackends([...BACKENDS].join(','))).toEqual([...BACKENDS]);
  });

  it('drops anything that is not exactly a known name, options smuggled in included', () => {
    expect(pageBackends('wasm stallMs=1')).toBeNull();
    expect(pageBackends('wasm,cpu stallMs=1')).toEqual(['wasm']);
    expect(pageBackends('<img src=x onerror=alert(1)>')).toBeNull();
    expect(pageBackends('WASM,__proto__,constructor,toString')).toBeNull();
    expect(pageBackends('')).toBeNull();
    expect(pageBackends(null)).toBeNull();
  });
});
