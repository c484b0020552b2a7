import { describe, expect, it } from 'vitest';
import type { TheoremResult } from '../../../src/experiment/results';
import { signed } from '../../../src/ui/common/format';
import {
  differentSentence,
  epsilonDecades,
  epsilonTick,
  referencePoint,
  sharedSentence,
  symlogConstant,
  symlogScale,
  symlogTick,
  theoremPoints,
} from '../../../src/ui/story/theorem';
import { makeTheorem } from '../../support/ui/fixtures';

describe('the one-step theorem as data', () => {
  const points = theoremPoints(makeTheorem());

  it('sorts the points by ε and averages each start over models', () => {
    expect(points.map((p) => p.epsilon)).toEqual([0.001, 0.01, 0.1, 1]);
    const at = points[1];
    expect(at.shared.lossChange).toBeCloseTo(-0.0123, 12);
    expect(at.shared.innerProduct).toBeCloseTo(5e-5, 15);
    expect(at.shared.cosine).toBeCloseTo(0.12, 12);
    expect(at.different.lossChange).toBeCloseTo(0.04, 12); // (−0.1 + 0.2 + 0.02) / 3
    expect(at.different.cosine).toBeCloseTo(0.01, 12);
    expect(at.different.lossChanges).toEqual([-0.1, 0.2, 0.02]);
  });

  it('picks ε = 0.01 (or the nearest on a log scale) for the sentences', () => {
    expect(referencePoint(points)?.epsilon).toBe(0.01);
    expect(referencePoint(points.filter((p) => p.epsilon !== 0.01))?.epsilon).toBe(0.001); // 0.001 and 0.1 tie: the first
    expect(referencePoint([])).toBeNull();
  });

  it('states what the shared start did, with the numbers', () => {
    expect(sharedSentence(points)).toBe(
      "From the same start, one imitation step on noise lowered the teacher's digit loss at every one of the 4 ε values tested " +
        "(change −0.0123 at ε = 0.01; the two steps' inner product was +5.00e-5, their cosine +0.120).",
    );
    const mixed = points.map((p, i) => (i === 3 ? { ...p, shared: { ...p.shared, lossChange: 0.5 } } : p));
    expect(sharedSentence(mixed)).toContain("lowered the teacher's digit loss at 3 of the 4 ε values tested");
    const none = points.map((p) => ({ ...p, shared: { ...p.shared, lossChange: 0.5 } }));
    expect(sharedSentence(none)).toMatch(
      /^From the same start, one imitation step on noise did not lower the teacher's digit loss at any of the 4 ε values tested \(change \+0\.500 at ε = 0\.01;/,
    );
  });

  it('states what the different start did: its sign per model and ε', () => {
    expect(differentSentence(points)).toBe(
      'From a different start the change had no consistent sign: the loss fell for 4 of 12 model–ε pairs and rose for the rest ' +
        '(from −1.00 to +2.00; +0.0400 on average at ε = 0.01, cosine +0.0100).',
    );
    const allFell = points.map((p) => ({ ...p, different: { ...p.different, lossChanges: [-0.1, -0.2, -0.3] } }));
    expect(differentSentence(allFell)).toMatch(
      /^From a different start the loss fell too, for all 12 model–ε pairs \(from −0\.300 to −0\.100;/,
    );
    const aligned = allFell.map((p) => ({ ...p, different: { ...p.different, cosine: 0.1 } }));
    expect(differentSentence(aligned)).toMatch(/nor rule it out\.$/);
    // As measured on the quick preset: a sixth as much, the steps about at right angles.
    const generic = allFell.map((p) => ({
      ...p,
      shared: { ...p.shared, lossChange: -0.0017, cosine: 0.06 },
      different: { ...p.different, lossChange: -0.00028, cosine: 0.0001, lossChanges: [-0.0002, -0.0003, -0.00035] },
    }));
    expect(differentSentence(generic)).toBe(
      'From a different start the loss fell too, for all 12 model–ε pairs, 6× less than from the same start ' +
        '(from −3.50e-4 to −2.00e-4; −2.80e-4 on average at ε = 0.01, cosine +1.00e-4). The theorem does not promise this: ' +
        "the student's step was about at right angles to the teacher's, so this fall does not come from copying what the teacher learnt.",
    );
    const allRose = points.map((p) => ({ ...p, different: { ...p.different, lossChanges: [0.1, 0.2, 0.3] } }));
    expect(differentSentence(allRose)).toMatch(/^From a different start the loss rose for all 12 model–ε pairs/);
  });

  it('drops points it cannot draw (ε ≤ 0, no models)', () => {
    const result: TheoremResult = {
      ...makeTheorem(),
      points: [
        {
          epsilon: 0,
          shared: { lossChange: [1], innerProduct: [1], cosine: [1] },
          different: { lossChange: [1], innerProduct: [1], cosine: [1] },
        },
      ],
    };
    expect(theoremPoints(result)).toEqual([]);
    expect(sharedSentence([])).toBe('');
  });
});

describe('the signed log scale', () => {
  it('picks a power of ten at the smallest size, at most four decades below the largest', () => {
    expect(symlogConstant([-0.0123, 0.5, 0])).toBe(0.01);
    expect(symlogConstant([1e-9, 2])).toBeCloseTo(1e-4, 12);
    expect(symlogConstant([])).toBe(1);
    expect(symlogConstant([0, NaN])).toBe(1);
  });

  it('maps 0 to 0, keeps signs, and inverts', () => {
    const scale = symlogScale([-0.0123, 2, 0.05]);
    expect(scale.constant).toBe(0.01);
    expect(scale.forward(0)).toBe(0);
    // 0, c, 10c, 100c sit at 0, 1, log10(91), log10(901): evenly enough for one label each.
    expect(scale.forward(0.01)).toBeCloseTo(1, 12);
    expect(scale.forward(-0.01)).toBeCloseTo(-1, 12);
    expect(scale.forward(0.1)).toBeCloseTo(Math.log10(91), 12);
    expect(scale.forward(0.005)).toBeCloseTo(Math.log10(5.5), 12);
    for (const v of [-1, -0.0123, 0.003, 2]) expect(scale.inverse(scale.forward(v))).toBeCloseTo(v, 12);
  });

  it('labels 0 and ±c·10^k, covering every value, with zero inside the axis', () => {
    const scale = symlogScale([-0.0123, -0.05, 2]);
    expect(scale.ticks).toEqual([-0.1, -0.01, 0, 0.01, 0.1, 1, 10]);
    expect(scale.domain[0]).toBeCloseTo(scale.forward(-0.1), 12);
    expect(scale.domain[1]).toBeCloseTo(scale.forward(10), 12);
    // All negative: the positive side still reaches +c.
    expect(symlogScale([-0.02, -0.03]).ticks).toEqual([-0.1, -0.01, 0, 0.01]);
    // Many decades: every other one, keeping the outermost.
    expect(symlogScale([1e-4, 1]).ticks).toEqual([-0.0001, 0, 0.0001, 0.01, 1]);
  });

  it('writes ticks and ε plainly', () => {
    expect(symlogTick(0)).toBe('0');
    expect(symlogTick(0.01)).toBe('+0.01');
    expect(symlogTick(-1e-5)).toBe('−10⁻⁵');
    expect(symlogTick(1e-12)).toBe('+10⁻¹²');
    expect(symlogTick(1e5)).toBe('+10⁵');
    expect(symlogTick(-3e-6)).toBe('−3×10⁻⁶');
    expect(epsilonTick(-3)).toBe('0.001');
    expect(epsilonTick(0)).toBe('1');
    expect(epsilonDecades(theoremPoints(makeTheorem()))).toEqual([-3, -2, -1, 0]);
    expect(epsilonDecades([{ ...theoremPoints(makeTheorem())[1] }])).toEqual([-3, -2, -1]);
  });

  it('writes measured numbers with their sign', () => {
    expect(signed(-0.0123)).toBe('−0.0123');
    expect(signed(5e-5)).toBe('+5.00e-5');
    expect(signed(0.3, 2)).toBe('+0.30');
    expect(signed(0)).toBe('0');
  });
});
