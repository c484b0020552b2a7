import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/experiment/stats';

describe('summarize', () => {
  it('matches hand-computed values for [0.5, 0.6, 0.7]', () => {
    const s = summarize([0.5, 0.6, 0.7]);
    expect(s.mean).toBeCloseTo(0.6, 12);
    // deviations -0.1, 0, 0.1 → sum of squares 0.02, over n − 1 = 2 → variance 0.01
    expect(s.sd).not.toBeNull();
    expect(s.sd!).toBeCloseTo(0.1, 12);
    expect(s.ci95!).toBeCloseTo((1.96 * 0.1) / Math.sqrt(3), 12);
    expect(s.ci95!).toBeCloseTo(0.113161, 6);
  });

  it('uses the sample (n − 1) sd, not the population one', () => {
    // mean 5, squared deviations sum to 32: sample variance 32/7, population variance 4
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.mean).toBe(5);
    expect(s.sd!).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(s.sd!).not.toBeCloseTo(2, 3);
    expect(s.ci95!).toBeCloseTo((1.96 * Math.sqrt(32 / 7)) / Math.sqrt(8), 12);
  });

  it('two values: sd is |a − b|/√2 and the interval 1.96·|a − b|/2', () => {
    const s = summarize([0.9, 0.1]);
    expect(s.mean).toBeCloseTo(0.5, 12);
    expect(s.sd!).toBeCloseTo(0.8 / Math.SQRT2, 12);
    expect(s.ci95!).toBeCloseTo(0.784, 12);
  });

  it('identical values have zero spread', () => {
    expect(summarize([0.25, 0.25, 0.25, 0.25])).toEqual({ mean: 0.25, sd: 0, ci95: 0 });
  });

  it('does not depend on the order of the values', () => {
    const a = summarize([0.91, 0.12, 0.55, 0.73, 0.34]);
    const b = summarize([0.34, 0.73, 0.55, 0.12, 0.91]);
    expect(b.mean).toBeCloseTo(a.mean, 12);
    expect(b.sd!).toBeCloseTo(a.sd!, 12);
    expect(b.ci95!).toBeCloseTo(a.ci95!, 12);
    expect(a.mean).toBeCloseTo(0.53, 12);
  });

  it('the interval shrinks as 1/√n for the same spread', () => {
    const small = summarize([0, 1]);
    const large = summarize([0, 1, 0, 1, 0, 1, 0, 1]);
    // sd: √(0.5) for n = 2; √(2/7) for n = 8
    expect(small.sd!).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(large.sd!).toBeCloseTo(Math.sqrt(2 / 7), 12);
    expect(large.ci95!).toBeCloseTo((1.96 * Math.sqrt(2 / 7)) / Math.sqrt(8), 12);
  });

  it('a single value has its mean and no sd or interval', () => {
    expect(summarize([0.42])).toEqual({ mean: 0.42, sd: null, ci95: null });
  });

  it('throws for no values', () => {
    expect(() => summarize([])).toThrow(/at least one value/);
  });

  it('leaves its input alone', () => {
    const values = [0.3, 0.1, 0.2];
    summarize(values);
    expect(values).toEqual([0.3, 0.1, 0.2]);
  });
});
