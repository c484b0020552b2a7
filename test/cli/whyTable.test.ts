import { describe, expect, it } from 'vitest';
import { alignmentSummary, formatWhyTables } from '../../src/cli/whyTable';
import { preset } from '../../src/experiment/config';
import {
  CONDITION_LABELS,
  type AlignmentPoint,
  type CurvePoint,
  type ExperimentResult,
} from '../../src/experiment/results';

const per = (aux: number[], cross: number[]) => ({
  student_aux: aux,
  student_all: aux,
  cross_aux: cross,
  cross_all: cross,
});

function point(step: number, alignment?: AlignmentPoint): CurvePoint {
  return { step, epoch: step / 10, accuracy: {}, loss: null, predictions: {}, ...(alignment && { alignment }) };
}

const POINTS: CurvePoint[] = [
  point(0, {
    updateCosine: per([0, 0], [0, 0]),
    distance: per([3, 5], [20, 22]),
    gradientCosine: per([0.02, 0.04], [-0.01, 0.01]),
  }),
  point(5, {
    updateCosine: per([0.2, 0.4], [0.01, -0.03]),
    distance: per([2, 4], [20, 21]),
    gradientCosine: per([0.01, -0.01], [0.0, 0.02]),
  }),
];

function result(curves: CurvePoint[], theorem?: ExperimentResult['theorem']): ExperimentResult {
  const empty = { accuracies: [0.1], mean: 0.1, sd: null, ci95: null };
  return {
    config: preset('tiny'),
    backend: 'wasm',
    seconds: 1,
    conditions: {
      reference: empty,
      teacher: empty,
      student_aux: empty,
      student_all: empty,
      cross_aux: empty,
      cross_all: empty,
    },
    curves: { teacher: [], distill: curves },
    crossSources: [1, 0],
    ...(theorem && { theorem }),
  };
}

describe('the why tables of the command line', () => {
  it('summarises the series: update cosine at the end, gradient cosine over every point, distance start → end', () => {
    expect(alignmentSummary(POINTS, 'student_aux')).toEqual({
      finalUpdateCosine: [0.2, 0.4],
      gradientCosine: [0.02, 0.04, 0.01, -0.01],
      startDistance: [3, 5],
      finalDistance: [2, 4],
    });
    expect(alignmentSummary([point(0)], 'student_aux')).toBeNull();
  });

  it('prints the summary and the one-step table, and nothing for a run measured without alignment', () => {
    expect(formatWhyTables(result([point(0)]))).toBe('');
    const text = formatWhyTables(
      result(POINTS, {
        models: 2,
        studentStep: 0.01,
        batch: 256,
        points: [
          {
            epsilon: 0.01,
            shared: { lossChange: [-0.002, -0.001], innerProduct: [1e-5, 3e-5], cosine: [0.05, 0.07] },
            different: { lossChange: [0.0003, -0.0005], innerProduct: [1e-8, -3e-8], cosine: [0.001, -0.002] },
          },
        ],
      }),
    );
    const lines = text.split('\n');
    const aux = lines.find((line) => line.startsWith(CONDITION_LABELS.student_aux))!;
    // Update cosine: mean of 0.2 and 0.4; gradient cosine: mean of the four values 0.015; distance 4 → 3.
    expect(aux).toContain('+0.300 (+0.200 … +0.400)');
    expect(aux).toContain('+0.0150 (-0.0100 … +0.0400)');
    expect(aux).toContain('4.00 → 3.00');
    const epsilon = lines.find((line) => line.trim().startsWith('0.01'))!;
    expect(epsilon).toContain('-1.50e-3 (-2.00 … -1.00e-3)');
    expect(epsilon).toContain('2.00e-5');
    expect(epsilon).toContain('-1.00e-4 (-0.50 … +0.30e-3)');
  });
});
