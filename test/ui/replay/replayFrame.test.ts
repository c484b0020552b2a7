import { describe, expect, it } from 'vitest';
import { replayFrame } from '../../../src/ui/replay/replayFrame';
import { heroVerdict } from '../../../src/ui/hero/heroView';
import { restoredRun, type KeptRun } from '../../../src/ui/state/runState';
import { makeResult, point } from '../../support/ui/fixtures';

const result = makeResult();
result.curves = {
  teacher: [0, 1, 2, 3].map((i) => point(i * 10, i / 3, { teacher: [0.1 + i * 0.25] })),
  distill: [0, 1, 2, 3, 4].map((i) => point(i * 10, i / 2, { student_aux: [0.1 + i * 0.1], cross_aux: [0.1] })),
};
const kept: KeptRun = { result, theorem: null, digits: null, noise: null, ranAt: Date.UTC(2026, 11, 2) };
const source = { run: kept, label: 'this run' };

describe('a replay', () => {
  it('shows the teacher, then the students, then the final verdict, only ever adding', () => {
    let shown = { teacher: 0, distill: 0 };
    const statuses: string[] = [];
    for (let t = 0; t <= 1.0001; t += 0.05) {
      const frame = replayFrame(source, t);
      expect(frame.curves.teacher.length).toBeGreaterThanOrEqual(shown.teacher);
      expect(frame.curves.distill.length).toBeGreaterThanOrEqual(shown.distill);
      shown = { teacher: frame.curves.teacher.length, distill: frame.curves.distill.length };
      const status = heroVerdict(frame).status;
      if (statuses.at(-1) !== status) statuses.push(status);
    }
    expect(statuses).toEqual(['teacher', 'so-far', 'final']);
    expect(shown).toEqual({ teacher: 4, distill: 5 });
  });

  it('ends as the run reopened from history, marked as a replay', () => {
    const end = replayFrame(source, 1);
    expect({ ...end, replay: undefined }).toEqual({ ...restoredRun(kept), replay: undefined });
    expect(end.replay).toEqual({ label: 'this run', t: 1 });
    expect(replayFrame(source, 0.5).status).toBe('running');
  });
});
