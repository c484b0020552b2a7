import { describe, expect, it } from 'vitest';
import {
  CPU_LIMITS,
  estimateMemory,
  modelsPerChunk,
  WASM_ADDRESS_SPACE,
  WASM_LIMITS,
} from '../../../src/experiment/schedule/chunks';
import { preset } from '../../../src/experiment/config';
import { fitIssues } from '../../../src/experiment/schedule/fit';
import { gpuLimits } from '../../../src/experiment/device/backend';

const OVERSIZE = { ...preset('paper'), models: 1000, hidden: [4096, 4096, 4096, 4096, 4096, 4096] };
/** A typical discrete GPU's WebGPU limits (Chrome on a desktop: 2 GiB bindings, 4 GiB buffers). */
const GPU = gpuLimits('webgpu', { maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 31 });

describe('fit before you run', () => {
  it("refuses the issue's oversize link on wasm, naming hidden, batchSize and the 4 GiB limit", () => {
    const issues = fitIssues(OVERSIZE, WASM_LIMITS, { alignment: true });
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe('hidden');
    expect(issues[0].message).toContain('hidden = 4096,4096,4096,4096,4096,4096');
    expect(issues[0].message).toContain('batchSize = 1024');
    expect(issues[0].message).toContain("wasm's 4 GiB address space");
    expect(issues[0].message).toContain('4.29 GB');
    expect(issues[0].message).toContain("activations, alignment probes, and the allocator's slack)");
    // One model's students alone are 4 × [3, 1, P] floats: more than the address space.
    const P = 784 * 4096 + 5 * 4096 * 4096 + 4096 * 13 + 6 * 4096 + 13;
    expect(estimateMemory(OVERSIZE).perModelBytes).toBeGreaterThan(4 * 3 * P * 4);
    expect(4 * 3 * P * 4).toBeGreaterThan(0.97 * WASM_ADDRESS_SPACE);
  });

  it('refuses it on a GPU by its binding limit, and with one model as on the command line', () => {
    const issues = fitIssues({ ...OVERSIZE, models: 1 }, GPU);
    expect(issues.map((issue) => issue.field)).toEqual(['hidden']);
    expect(issues[0].message).toMatch(
      /more than the largest buffer webgpu \(the adapter's maxStorageBufferBindingSize\) allows \(2\.15 GB\)/,
    );
  });

  it('names batchSize when a batch of activations is what does not fit', () => {
    const config = { ...preset('paper'), hidden: [4096], batchSize: 65536, trainImages: 60000, noiseImages: 65536 };
    const issues = fitIssues(config, WASM_LIMITS);
    expect(issues.map((issue) => issue.field)).toEqual(['batchSize']);
    expect(fitIssues({ ...config, batchSize: 1024 }, WASM_LIMITS)).toEqual([]);
  });

  it('counts the alignment probe and the mitigation: a config may fit without them only', () => {
    const config = { ...preset('paper'), hidden: [2048, 2048, 2048, 2048] };
    const plain = estimateMemory(config);
    expect(estimateMemory(config, { alignment: true }).perModelBytes).toBeGreaterThan(plain.perModelBytes);
    expect(estimateMemory({ ...config, mitigation: 'project' }).perModelBytes).toBeGreaterThan(plain.perModelBytes);
    expect(fitIssues(config, WASM_LIMITS)).toEqual([]);
    expect(fitIssues(config, WASM_LIMITS, { alignment: true }).map((issue) => issue.field)).toEqual(['hidden']);
  });

  it("holds wasm's estimate with its allocator's slack (measured ×1.23–1.44) against the 4 GiB", () => {
    // 784-4096-4096 without probes: about 2.9 GB of tensors, 4.3 GB of heap with the slack.
    const config = { ...preset('paper'), hidden: [4096, 4096] };
    const estimate = estimateMemory(config);
    expect(estimate.fixedBytes + estimate.perModelBytes).toBeLessThan(WASM_ADDRESS_SPACE);
    expect(fitIssues(config, WASM_LIMITS).map((issue) => issue.field)).toEqual(['hidden']);
    expect(fitIssues(config, { ...WASM_LIMITS, allocatorSlack: 1 })).toEqual([]);
    expect(fitIssues({ ...config, batchSize: 256 }, WASM_LIMITS)).toEqual([]);
  });

  it('lets every preset and many models through: big runs are chunked, not refused', () => {
    for (const name of ['paper', 'quick', 'tiny'] as const) {
      const config = { ...preset(name), models: 1000 };
      for (const limits of [WASM_LIMITS, GPU, CPU_LIMITS])
        expect(fitIssues(config, limits, { alignment: true })).toEqual([]);
      expect(modelsPerChunk(config, WASM_LIMITS, { alignment: true })).toBeLessThan(1000);
    }
  });

  it('refuses nothing on a backend whose limits are unknown (the cpu backend)', () => {
    expect(fitIssues(OVERSIZE, CPU_LIMITS)).toEqual([]);
  });
});
