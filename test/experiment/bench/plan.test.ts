/** The benchmark's measurement and sweep, at toy sizes on wasm. */
import { beforeAll, describe, expect, it } from 'vitest';
import { countWork, measureCell, type CellSpec, type Variant } from '../../../src/experiment/bench/cells';
import { benchRows, formatBenchTable, type BenchRow } from '../../../src/experiment/bench/plan';
import * as tf from '../../../src/experiment/tf';
import { useWasm } from '../../support/engine';

beforeAll(useWasm);

const spec = (variant: Variant, kind: 'teacher' | 'distill'): CellSpec => ({
  kind,
  variant,
  models: 2,
  batch: 8,
  hidden: [16],
  auxLogits: 3,
  steps: 2,
  budgetSeconds: 5,
});

describe('a benchmark cell', () => {
  for (const variant of ['autodiff', 'stock-per-model', 'stock-batched', 'simd', 'simd-plain'] as const) {
    for (const kind of ['teacher', 'distill'] as const) {
      it(`${variant}, ${kind}: times steps, counts kernels, and leaves no tensor behind`, async () => {
        const before = tf.memory().numTensors;
        const result = await measureCell(spec(variant, kind));
        expect(tf.memory().numTensors).toBe(before);
        expect(result.rows).toBe(kind === 'teacher' ? 2 : 8);
        expect(result.timedSteps).toBe(2);
        expect(result.secondsPerStep).toBeGreaterThan(0);
        expect(result.modelSamplesPerSecond).toBeCloseTo((result.rows * 8) / result.secondsPerStep, 6);
        // The CPU kernel's step is one tensor (its losses), the others' many tfjs kernels.
        if (variant.startsWith('simd')) expect(result.kernelsPerStep).toBeLessThanOrEqual(1);
        else expect(result.kernelsPerStep).toBeGreaterThan(10);
        // No GPU here: no dispatches or readbacks to count.
        expect(result.dispatchesPerStep).toBeNull();
        expect(result.readbacksPerStep).toBeNull();
        expect(result.tensorBytes).toBeGreaterThan(0);
      });
    }
  }

  it('the hand-written step runs fewer kernels than the autodiff one', async () => {
    const [autodiff, handWritten] = [
      await measureCell(spec('autodiff', 'teacher')),
      await measureCell(spec('stock-batched', 'teacher')),
    ];
    expect(handWritten.kernelsPerStep).toBeLessThan(autodiff.kernelsPerStep);
  });

  it('counts the kernels a function runs', () => {
    const { value, kernels } = countWork(() => tf.tidy(() => tf.add(tf.mul(tf.ones([2]), 2), 1)));
    expect(kernels).toBeGreaterThanOrEqual(2);
    value.dispose();
  });
});

describe('the sweep', () => {
  it('measures the first size and skips cells predicted to be too slow', async () => {
    const rows: BenchRow[] = [];
    const plan = {
      sizes: [1, 3],
      kinds: ['teacher' as const],
      batch: 4,
      steps: 1,
      budgetSeconds: 1,
      maxStepSeconds: 1e-9,
      gpu: false,
    };
    for await (const row of benchRows(plan)) rows.push(row);
    expect(rows.map((row) => [row.spec.models, row.spec.variant, row.skipped === undefined])).toEqual([
      [1, 'autodiff', true],
      [1, 'stock-per-model', true],
      [1, 'stock-batched', true],
      [1, 'simd', true],
      [3, 'autodiff', false],
      [3, 'stock-per-model', false],
      [3, 'stock-batched', false],
      [3, 'simd', false],
    ]);
    expect(rows[1].speedup).toBeCloseTo(rows[1].modelSamplesPerSecond / rows[0].modelSamplesPerSecond, 9);
    const table = formatBenchTable(rows);
    expect(table).toMatch(/model-samples\/s/);
    expect(table.split('\n')).toHaveLength(2 + rows.length);
    expect(table).toMatch(/skipped: about/);
  });
});
