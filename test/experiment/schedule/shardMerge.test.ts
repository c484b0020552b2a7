import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { CONDITIONS, type ConditionName, type ExperimentResult } from '../../../src/experiment/results';
import { mergeModelResults, modelResult } from '../../../src/experiment/schedule/shardMerge';
import { traitResult } from '../../../src/experiment/trait/result';

/** A part's result of a favourite run: per model an accuracy and a trait measure, at the end and on the curve. */
function part(accuracy: number[], shares: number[]): ExperimentResult {
  return {
    config: { ...preset('tiny'), trait: 'favourite' },
    backend: 'wasm',
    seconds: 1,
    conditions: Object.fromEntries(
      CONDITIONS.map((name) => [name, { accuracies: accuracy, mean: 0, sd: null, ci95: null }]),
    ) as ExperimentResult['conditions'],
    curves: {
      teacher: [
        {
          step: 5,
          epoch: 1,
          accuracy: { teacher: accuracy },
          loss: null,
          predictions: { teacher: [1] },
          trait: { teacher: shares },
        },
      ],
      distill: [],
    },
    crossSources: accuracy.map(() => 0),
    trait: traitResult(
      'favourite',
      Object.fromEntries(CONDITIONS.map((name) => [name, shares])) as Record<ConditionName, number[]>,
    ),
  };
}

describe('merging shards with a trait', () => {
  it('cuts out one model’s trait measures', () => {
    const one = modelResult(part([0.5, 0.6], [0.1, 0.3]), 1);
    expect(one.trait!.conditions.teacher).toEqual({ values: [0.3], mean: 0.3, sd: null, ci95: null });
    expect(one.curves.teacher[0].trait).toEqual({ teacher: [0.3] });
  });

  it('puts each model’s trait measure at its index, summarised again', () => {
    const merged = mergeModelResults(
      preset('tiny'),
      [
        { models: [0, 2], result: part([0.5, 0.6], [0.1, 0.3]) },
        { models: [1], result: part([0.9], [0.2]) },
      ],
      4,
      'wasm',
    );
    expect(merged.trait!.name).toBe('favourite');
    expect(merged.trait!.conditions.student_aux.values).toEqual([0.1, 0.2, 0.3]);
    expect(merged.trait!.conditions.student_aux.mean).toBeCloseTo(0.2, 12);
    expect(merged.curves.teacher[0].trait!.teacher).toEqual([0.1, 0.2, 0.3]);
    expect(merged.conditions.teacher.accuracies).toEqual([0.5, 0.9, 0.6]);
  });

  it('leaves results without a trait (made before traits) without one', () => {
    const { trait: _trait, ...old } = part([0.5], [0.1]);
    const merged = mergeModelResults(preset('tiny'), [{ models: [0], result: old }], 1, 'wasm');
    expect(merged.trait).toBeUndefined();
  });
});
