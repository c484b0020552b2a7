import { describe, expect, it } from 'vitest';
import { appendBounded } from '../../../src/ui/state/runEvents';
import { point } from '../../support/ui/fixtures';

describe('runEvents', () => {
  it('keeps curves bounded, always keeping the newest point', () => {
    let points = [point(0, 0, {})];
    for (let i = 1; i <= 30; i++) points = appendBounded(points, point(i, i, {}), 10);
    expect(points.length).toBeLessThanOrEqual(10);
    expect(points[0].step).toBe(0);
    expect(points.at(-1)?.step).toBe(30);
    expect(points.map((p) => p.step)).toEqual([...points.map((p) => p.step)].sort((a, b) => a - b));
  });
});
