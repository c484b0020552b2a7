import { describe, expect, it } from 'vitest';
import { alignmentRows, cosineCaption, latestValue } from '../../../src/ui/story/alignment';
import type { CurvePoint } from '../../../src/experiment/results';
import { ALIGNED_POINTS, alignedPoint, point } from '../../support/ui/fixtures';

describe('alignment rows for the "inside the students" charts', () => {
  const rows = alignmentRows(ALIGNED_POINTS);

  it('skips points without alignment and keeps epoch and step', () => {
    for (const series of [rows.updateCosine, rows.relativeDistance, rows.gradientCosine]) {
      expect(series.map((r) => [r.epoch, r.step])).toEqual([
        [0, 0],
        [1, 20],
      ]);
    }
    expect(alignmentRows([point(0, 0, {}), point(5, 1, {})])).toEqual({
      updateCosine: [],
      relativeDistance: [],
      gradientCosine: [],
      relativeLoss: [],
    });
  });

  it('averages the cosines over models, per condition', () => {
    expect(rows.updateCosine[0]).toEqual({ epoch: 0, step: 0, student_aux: 0, cross_aux: 0 });
    expect(rows.updateCosine[1].student_aux).toBeCloseTo(0.3, 12); // (0.2 + 0.4) / 2
    expect(rows.updateCosine[1].cross_aux).toBeCloseTo(-0.01, 12); // (0.01 − 0.03) / 2
    expect(rows.gradientCosine[0].student_aux).toBeCloseTo(0.03, 12); // (0.02 + 0.04) / 2
    expect(rows.gradientCosine[0].cross_aux).toBeCloseTo(-0.01, 12); // (0 − 0.02) / 2
    expect(rows.gradientCosine[1].student_aux).toBeCloseTo(0.04, 12);
    expect(rows.gradientCosine[1].cross_aux).toBeCloseTo(0.01, 12);
    // Conditions the points do not have get no key (no line drawn).
    expect('student_all' in rows.updateCosine[1]).toBe(false);
  });

  it("divides each model's distance by its own distance at the first point, so every line starts at 1", () => {
    expect(rows.relativeDistance[0].student_aux).toBe(1);
    expect(rows.relativeDistance[0].cross_aux).toBe(1); // model 1 has d₀ = 0 and is left out
    expect(rows.relativeDistance[1].student_aux).toBeCloseTo(0.5, 12); // (1/2 + 2/4) / 2
    expect(rows.relativeDistance[1].cross_aux).toBeCloseTo(1.1, 12); // 11/10; 5/0 left out
  });

  it("divides each model's imitation loss by its own first loss (points at step 0 have none)", () => {
    const withLoss = (step: number, loss: CurvePoint['loss']): CurvePoint => ({
      ...alignedPoint(step, step / 10, { updateCosine: {}, distance: {}, gradientCosine: {} }),
      loss,
    });
    const loss = alignmentRows([
      withLoss(0, null),
      withLoss(10, { student_aux: [0.2, 0.4], cross_aux: [1, 0] }),
      withLoss(20, { student_aux: [0.1, 0.1], cross_aux: [0.5, 3] }),
    ]).relativeLoss;
    expect(loss.map((r) => r.step)).toEqual([10, 20]);
    expect(loss[0]).toEqual({ epoch: 1, step: 10, student_aux: 1, cross_aux: 1 });
    expect(loss[1].student_aux).toBeCloseTo(0.375, 12); // (0.1/0.2 + 0.1/0.4) / 2
    expect(loss[1].cross_aux).toBeCloseTo(0.5, 12); // 0.5/1; the model whose first loss was 0 is left out
  });

  it('leaves the relative distance out when every model started on its teacher', () => {
    const zero = alignmentRows([
      alignedPoint(0, 0, { updateCosine: {}, distance: { student_aux: [0] }, gradientCosine: {} }),
      alignedPoint(1, 1, { updateCosine: {}, distance: { student_aux: [3] }, gradientCosine: {} }),
    ]);
    expect(zero.relativeDistance.map((r) => r.student_aux)).toEqual([undefined, undefined]);
  });

  it('measures a condition from its own first point when it appears later', () => {
    const late = alignmentRows([
      alignedPoint(0, 0, { updateCosine: {}, distance: { student_aux: [2] }, gradientCosine: {} }),
      alignedPoint(1, 1, { updateCosine: {}, distance: { student_aux: [1], cross_aux: [4] }, gradientCosine: {} }),
      alignedPoint(2, 2, { updateCosine: {}, distance: { student_aux: [1], cross_aux: [6] }, gradientCosine: {} }),
    ]);
    expect(late.relativeDistance.map((r) => r.cross_aux)).toEqual([undefined, 1, 1.5]);
  });

  it('finds the newest value of a condition', () => {
    expect(latestValue(rows.updateCosine, 'student_aux')).toBeCloseTo(0.3, 12);
    expect(latestValue(rows.updateCosine, 'cross_all')).toBeNull();
    expect(latestValue([], 'student_aux')).toBeNull();
  });
});

describe('the captions of the cosine charts', () => {
  it('state what was measured and whether it matches the expectation, never contradicting the number', () => {
    expect(cosineCaption('updateCosine', null)).toMatch(/The theory expects the same-start student above 0\.$/);
    expect(cosineCaption('updateCosine', 0.21)).toMatch(
      /The same-start student is at \+0\.21: above 0, as the theory expects\.$/,
    );
    // The number the issue saw beside "should be above 0".
    expect(cosineCaption('updateCosine', -0.0011)).toMatch(/is at −0\.0011: below 0, not what the theory expects\.$/);
    expect(cosineCaption('updateCosine', 4e-4)).toMatch(
      /is at ≈ 0: not above 0 \(yet\), though the theory expects it to be\.$/,
    );
    expect(cosineCaption('gradientCosine', 0.04)).toMatch(
      /The same-start student's is \+0\.040: above 0, as the theory expects\.$/,
    );
    expect(cosineCaption('gradientCosine', -0.02)).toMatch(/is −0\.020: below 0, not what the theory expects\.$/);
    for (const value of [-0.0011, 4e-4, -0.02])
      expect(cosineCaption('gradientCosine', value)).not.toMatch(/as the theory expects/);
  });
});
