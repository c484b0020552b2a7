import { describe, expect, it } from 'vitest';
import { formatSweepTable } from '../../src/cli/sweepTable';
import { preset } from '../../src/experiment/config';
import { CONDITIONS, type ExperimentResult } from '../../src/experiment/results';
import type { SweepResult } from '../../src/experiment/sweep/sweep';

function result(aux: number[], chain?: ExperimentResult['chain']): ExperimentResult {
  const condition = (accuracies: number[]) => ({
    accuracies,
    mean: accuracies.reduce((a, b) => a + b, 0) / accuracies.length,
    sd: 0.1,
    ci95: 0.05,
  });
  return {
    config: preset('tiny'),
    backend: 'wasm',
    seconds: 1,
    conditions: Object.fromEntries(
      CONDITIONS.map((name) => [name, condition(name === 'student_aux' ? aux : [0.1, 0.1])]),
    ) as ExperimentResult['conditions'],
    curves: { teacher: [], distill: [] },
    crossSources: [1, 0],
    ...(chain && { chain }),
  };
}

describe('the sweep table of the command line', () => {
  it('lists each value with mean ±95% per condition, and each chain as teacher → generations', () => {
    const sweep: SweepResult = {
      kind: 'sweep',
      setting: 'auxLogits',
      values: ['1', '10'],
      base: { ...preset('tiny'), models: 2 },
      seconds: 12.5,
      points: [
        { value: '1', result: result([0.1, 0.12]) },
        {
          value: '10',
          result: result(
            [0.4, 0.5],
            [
              { generation: 1, accuracy: { teacher: [0.9, 0.8], student_aux: [0.4, 0.5] } },
              { generation: 2, accuracy: { teacher: [0.4, 0.5], student_aux: [0.3, 0.2] } },
            ],
          ),
        },
      ],
    };
    const lines = formatSweepTable(sweep).split('\n');
    expect(lines[0]).toBe(
      'Sweep of auxiliary logits m (auxLogits); test accuracy, mean ±95% over 2 models; chance = 0.10:',
    );
    expect(lines.find((line) => line.startsWith('1 '))).toContain('0.110 ±0.050');
    expect(lines.find((line) => line.startsWith('10 '))).toContain('0.450 ±0.050');
    expect(lines).toContain('10     0.850 → 0.450 → 0.250');
    expect(lines.at(-1)).toBe('2 runs, 12.5 s.');
  });
});
