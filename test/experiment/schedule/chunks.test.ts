import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  estimateMemory,
  mergeResults,
  modelsPerChunk,
  planChunks,
  splitEvenly,
} from '../../../src/experiment/schedule/chunks';
import { preset } from '../../../src/experiment/config';
import { CONDITIONS, type ConditionName, type ExperimentResult } from '../../../src/experiment/results';
import { traitResult } from '../../../src/experiment/trait/result';
import { TRAIT_MEASURES } from '../../../src/experiment/trait/traits';

describe('planning chunks', () => {
  it('cuts consecutive chunks of a given size, the last one smaller', () => {
    expect(planChunks(5, 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(planChunks(3, 10)).toEqual([[0, 1, 2]]);
    expect(() => planChunks(3, 0)).toThrow();
  });

  it('splits evenly for parallel workers, never into empty parts', () => {
    expect(splitEvenly(5, 2)).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    expect(splitEvenly(1, 4)).toEqual([[0]]);
    expect(splitEvenly(4, 4).flat()).toEqual([0, 1, 2, 3]);
  });

  it('fits the paper recipe with 100 models into chunks that respect both limits', () => {
    const config = { ...preset('paper'), models: 100 };
    const estimate = estimateMemory(config);
    // 784-256-256-13: 270,093 parameters; the students’ state is 3 × 4 × P floats per model.
    expect(estimate.largestPerModelBytes).toBe(3 * 4 * 270093 * 4);
    const size = modelsPerChunk(config, DEFAULT_LIMITS);
    expect(size * estimate.largestPerModelBytes).toBeLessThanOrEqual(DEFAULT_LIMITS.maxBufferBytes);
    expect(estimate.fixedBytes + size * estimate.perModelBytes).toBeLessThanOrEqual(DEFAULT_LIMITS.memoryBytes);
    expect(size).toBeGreaterThanOrEqual(1);
    expect(size).toBeLessThan(100);
    // A device with room for everything runs one chunk.
    expect(modelsPerChunk(config, { maxBufferBytes: 2 ** 40, memoryBytes: 2 ** 40 })).toBe(100);
    // A tiny device still runs, one model at a time.
    expect(modelsPerChunk(config, { maxBufferBytes: 1, memoryBytes: 1 })).toBe(1);
  });
});

describe('merging chunk results', () => {
  const chunk = (accuracy: number[], cross: number[]): ExperimentResult => ({
    config: preset('tiny'),
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
          loss: { teacher: accuracy },
          predictions: { teacher: [accuracy[0]] },
        },
      ],
      distill: [],
    },
    crossSources: cross,
  });

  it('concatenates per-model values in model order and recomputes the summaries', () => {
    const merged = mergeResults(preset('tiny'), [chunk([0.5], [2]), chunk([0.7, 0.9], [0, 1])], 3);
    expect(merged.conditions.teacher.accuracies).toEqual([0.5, 0.7, 0.9]);
    expect(merged.conditions.teacher.mean).toBeCloseTo(0.7, 12);
    expect(merged.conditions.teacher.sd).toBeCloseTo(0.2, 12);
    expect(merged.crossSources).toEqual([2, 0, 1]);
    expect(merged.curves.teacher[0].accuracy.teacher).toEqual([0.5, 0.7, 0.9]);
    expect(merged.curves.teacher[0].predictions.teacher).toEqual([0.5]);
    expect(merged.seconds).toBe(3);
    expect(merged.trait).toBeUndefined();
  });

  /** A chunk of a favourite run: its trait measures, at the end and on the curve. */
  const traitChunk = (accuracy: number[], shares: number[]): ExperimentResult => {
    const plain = chunk(
      accuracy,
      accuracy.map(() => 0),
    );
    return {
      ...plain,
      trait: traitResult(
        'favourite',
        Object.fromEntries(CONDITIONS.map((name) => [name, shares])) as Record<ConditionName, number[]>,
      ),
      curves: { ...plain.curves, teacher: [{ ...plain.curves.teacher[0], trait: { teacher: shares } }] },
    };
  };

  it('joins the trait measures like the accuracies: in model order, summarised again', () => {
    const merged = mergeResults(preset('tiny'), [traitChunk([0.5], [1]), traitChunk([0.7, 0.9], [0.6, 0.8])], 3);
    expect(merged.trait!.name).toBe('favourite');
    expect(merged.trait!.measure).toBe(TRAIT_MEASURES.favourite);
    for (const name of CONDITIONS) {
      expect(merged.trait!.conditions[name].values).toEqual([1, 0.6, 0.8]);
      expect(merged.trait!.conditions[name].mean).toBeCloseTo(0.8, 12);
      expect(merged.trait!.conditions[name].sd).toBeCloseTo(0.2, 12);
    }
    expect(merged.curves.teacher[0].trait!.teacher).toEqual([1, 0.6, 0.8]);
  });
});
