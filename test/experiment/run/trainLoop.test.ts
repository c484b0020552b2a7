/** Where the live curves' points fall: evenly (the default), or geometrically for the critical period. */
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { curveSchedule, stepsPerEpoch } from '../../../src/experiment/run/trainLoop';

/** A phase's steps: the distillation of a preset. */
const distillSteps = (name: 'paper' | 'quick' | 'tiny') => {
  const config = preset(name);
  return config.studentEpochs * stepsPerEpoch(config.noiseImages, config.batchSize);
};

describe('curveSchedule', () => {
  it('linear: evenly spread, the last at the end, one per step when there are fewer steps than points', () => {
    expect([...curveSchedule(100, 4)]).toEqual([25, 50, 75, 100]);
    expect([...curveSchedule(10, 3)]).toEqual([3, 7, 10]);
    expect([...curveSchedule(3, 20)]).toEqual([1, 2, 3]);
    expect(curveSchedule(100, 0).size).toBe(0);
    expect([...curveSchedule(100, 4, 'linear')]).toEqual([...curveSchedule(100, 4)]);
  });

  it('log: as many distinct steps as points, rising from step 1 to the end', () => {
    for (const [total, points] of [
      [158, 20],
      [295, 20],
      [20, 20],
      [21, 20],
      [1000, 7],
      [5, 1],
      [3, 20],
    ]) {
      const steps = [...curveSchedule(total, points, 'log')];
      expect(steps, `${total} steps, ${points} points`).toHaveLength(Math.min(total, points));
      expect(steps.at(-1)).toBe(total);
      if (steps.length > 1) expect(steps[0]).toBe(1);
      steps.slice(1).forEach((step, i) => expect(step).toBeGreaterThan(steps[i]));
    }
  });

  it('log: at least a third of the points in the first tenth of the steps (linear: a tenth of them)', () => {
    for (const name of ['paper', 'quick'] as const) {
      const total = distillSteps(name);
      const early = (steps: Set<number>) => [...steps].filter((step) => step <= total / 10).length;
      const points = preset(name).curvePoints;
      expect(early(curveSchedule(total, points, 'log')), name).toBeGreaterThanOrEqual(points / 3);
      expect(early(curveSchedule(total, points)), name).toBeLessThanOrEqual(points / 10);
    }
  });
});
