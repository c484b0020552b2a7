import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { CPU_LIMITS, DEFAULT_LIMITS, modelsPerChunk } from '../../../src/experiment/schedule/chunks';
import { describePlacement, placeRun, workerCount } from '../../../src/experiment/schedule/placement';

const config = (models: number) => ({ ...preset('quick'), models });

describe('one placement for the page and the command line', () => {
  it('gives a CPU backend one part per core, never more parts than models', () => {
    expect(workerCount('wasm', 4, 2)).toBe(2);
    expect(workerCount('cpu', 4, 8)).toBe(4);
    expect(workerCount('wasm', 1, 8)).toBe(1);
    expect(workerCount('wasm', 3, 0)).toBe(1);
  });

  it('keeps a GPU to one part, however many cores', () => {
    expect(workerCount('webgpu', 100, 16)).toBe(1);
    const placement = placeRun({ config: config(100), backend: 'webgpu', limits: DEFAULT_LIMITS, cores: 16 });
    expect(placement.parts).toHaveLength(1);
    // …in chunks the device holds, every model exactly once, in order.
    expect(placement.perChunk).toBe(modelsPerChunk(config(100), DEFAULT_LIMITS));
    expect(placement.perChunk).toBeLessThan(100);
    expect(placement.parts[0].flat()).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Math.max(...placement.parts[0].map((chunk) => chunk.length))).toBe(placement.perChunk);
  });

  it('splits models evenly between cores, each part in chunks that fit', () => {
    const placement = placeRun({ config: config(5), backend: 'wasm', limits: CPU_LIMITS, cores: 2, perChunk: 2 });
    expect(placement).toEqual({ perChunk: 2, parts: [[[0, 1]], [[2, 3], [4]]] });
    expect(describePlacement(config(5), placement, 'worker thread')).toBe(
      '5 models in 2 worker threads, at most 2 models per chunk',
    );
  });

  it('takes a forced worker count, capped at the models', () => {
    expect(
      placeRun({ config: config(3), backend: 'wasm', limits: CPU_LIMITS, cores: 2, workers: 8 }).parts,
    ).toHaveLength(3);
    expect(placeRun({ config: config(4), backend: 'wasm', limits: CPU_LIMITS, cores: 4, workers: 1 }).parts).toEqual([
      [[0, 1, 2, 3]],
    ]);
  });

  it('counts the alignment probe when sizing chunks', () => {
    const tight = { ...DEFAULT_LIMITS, memoryBytes: 4e8 };
    const plain = placeRun({ config: config(100), backend: 'webgpu', limits: tight, cores: 1 });
    const measured = placeRun({ config: config(100), backend: 'webgpu', limits: tight, cores: 1, alignment: true });
    expect(measured.perChunk).toBeLessThan(plain.perChunk);
  });
});
