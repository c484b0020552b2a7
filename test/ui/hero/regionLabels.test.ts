import { describe, expect, it } from 'vitest';
import { regionLabels } from '../../../src/ui/hero/regionLabels';

/** The same estimate the labels are judged by, to check that chosen labels fit their region. */
const widthOf = (words: string, fontPx: number) => (words.length * 0.56 + 1) * fontPx;

describe("the hero chart's region labels", () => {
  it('are given in full on a wide chart', () => {
    expect(regionLabels(1200, 0.4, 18)).toEqual({
      teacher: 'the teacher learns',
      students: 'the students copy it on noise',
    });
  });

  it('shorten, then drop, as the chart narrows, and never spill out of their own region', () => {
    const seen = new Set<string>();
    for (let plot = 900; plot >= 40; plot -= 10) {
      for (const share of [0.3, 0.4, 0.5, 0.6]) {
        const labels = regionLabels(plot, share, 16);
        if (labels.teacher !== null) expect(widthOf(labels.teacher, 16)).toBeLessThanOrEqual(plot * share);
        if (labels.students !== null) expect(widthOf(labels.students, 16)).toBeLessThanOrEqual(plot * (1 - share));
        seen.add(`${labels.teacher}|${labels.students}`);
      }
    }
    // A phone-sized chart (about 280 px of plot) gets the short forms, a tiny one none.
    expect(regionLabels(280, 0.4, 16)).toEqual({ teacher: 'teacher', students: 'students copy' });
    expect(regionLabels(60, 0.4, 16)).toEqual({ teacher: null, students: null });
    expect(seen.size).toBeGreaterThan(4);
  });

  it('grow shorter as the type grows (presenter mode)', () => {
    expect(regionLabels(600, 0.4, 16).students).toBe('the students copy it on noise');
    expect(regionLabels(600, 0.4, 24).students).toBe('students copy on noise');
  });
});
