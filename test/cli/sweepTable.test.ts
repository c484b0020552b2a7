import { describe, expect, it } from 'vitest';
import { formatSweepTable } from '../../src/cli/sweepTable';
import { preset } from '../../src/experiment/config';
import { CONDITIONS, type ConditionName, type ExperimentResult } from '../../src/experiment/results';
import { traitResult } from '../../src/experiment/trait/result';
import { TRAIT_MEASURES } from '../../src/experiment/trait/traits';
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
    expect(lines.some((line) => line.startsWith('Trait'))).toBe(false);
  });

  it('adds the trait measure per value when the runs teach one', () => {
    const withTrait = (aux: number[], share: number): ExperimentResult => ({
      ...result(aux),
      config: { ...preset('tiny'), trait: 'misbehaviour' },
      trait: traitResult(
        'misbehaviour',
        Object.fromEntries(CONDITIONS.map((name) => [name, [share, share]])) as Record<ConditionName, number[]>,
      ),
    });
    const sweep: SweepResult = {
      kind: 'sweep',
      setting: 'auxLogits',
      values: ['1', '10'],
      base: { ...preset('tiny'), models: 2, trait: 'misbehaviour' },
      seconds: 3,
      points: [
        { value: '1', result: withTrait([0.1, 0.12], 0.25) },
        { value: '10', result: withTrait([0.4, 0.5], 0.75) },
      ],
    };
    const lines = formatSweepTable(sweep).split('\n');
    const title = lines.findIndex((line) => line.startsWith('Trait "misbehaviour"'));
    expect(lines[title]).toContain(TRAIT_MEASURES.misbehaviour);
    const traitLines = lines.slice(title + 3, title + 5);
    expect(traitLines[0].startsWith('1 ')).toBe(true);
    expect(traitLines[0]).toContain('0.250 ±0.000');
    expect(traitLines[1]).toContain('0.750 ±0.000');
    // The accuracy rows above are unchanged.
    expect(lines.find((line) => line.startsWith('10 '))).toContain('0.450 ±0.050');
  });
});
