/** Oversize benchmark sizes are refused up front, as oversize runs are (fit.ts), not minutes in. */
import { describe, expect, it } from 'vitest';
import { benchIssues, benchRows, cellStateBytes } from '../../../src/experiment/bench/plan';
import { CPU_LIMITS, WASM_LIMITS } from '../../../src/experiment/schedule/chunks';
import { layerSizes } from '../../../src/experiment/model/mlp';
import { paramLayout } from '../../../src/experiment/step/layout';

const P = paramLayout(layerSizes([256, 256], 3)).perModel;

describe('benchIssues', () => {
  it('a cell holds at least five parameter sets per row: four student rows per model when distilling', () => {
    expect(cellStateBytes('teacher', 10)).toBe(10 * 5 * P * 4);
    expect(cellStateBytes('distill', 10)).toBe(4 * cellStateBytes('teacher', 10));
  });

  it('refuses 1,000 models on wasm for both kinds, naming the size, the need, the limit and the largest that fits', () => {
    const issues = benchIssues({ sizes: [1, 10, 1000], kinds: ['teacher', 'distill'] }, WASM_LIMITS);
    expect(issues).toHaveLength(2);
    const largest = (rows: number) => Math.floor(2 ** 32 / (1.5 * rows * 5 * P * 4));
    expect(issues[0]).toMatch(
      /^size 1000: a teacher step of 1000 models needs at least [\d.]+ GB .* more than wasm's 4 GiB address space holds \(4\.29 GB\)/,
    );
    expect(issues[0]).toContain(`the largest size that fits is ${largest(1)}`);
    expect(issues[1]).toMatch(/^size 1000: a distillation step of 1000 models/);
    expect(issues[1]).toContain(`the largest size that fits is ${largest(4)}`);
    // The largest that fits does fit, and one more does not.
    expect(benchIssues({ sizes: [largest(4)], kinds: ['distill'] }, WASM_LIMITS)).toEqual([]);
    expect(benchIssues({ sizes: [largest(4) + 1], kinds: ['distill'] }, WASM_LIMITS)).toHaveLength(1);
  });

  it('the default sizes fit wasm, and a backend with no known capacity refuses nothing', () => {
    expect(benchIssues({ sizes: [1, 10, 100], kinds: ['teacher', 'distill'] }, WASM_LIMITS)).toEqual([]);
    expect(benchIssues({ sizes: [1000], kinds: ['teacher', 'distill'] }, CPU_LIMITS)).toEqual([]);
  });

  it('benchRows refuses before measuring anything (the page shows the reason)', async () => {
    const plan = {
      sizes: [1, 1000],
      kinds: ['teacher' as const],
      batch: 8,
      steps: 1,
      budgetSeconds: 1,
      maxStepSeconds: 1,
      gpu: false,
      limits: WASM_LIMITS,
    };
    const rows: unknown[] = [];
    await expect(async () => {
      for await (const row of benchRows(plan)) rows.push(row);
    }).rejects.toThrow(/^the benchmark cannot run: size 1000: a teacher step/);
    expect(rows).toEqual([]);
  });
});
