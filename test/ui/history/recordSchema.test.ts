// A stored record is data: each malformed shape is refused with where and why, a good one passes whole.
import { describe, expect, it } from 'vitest';
import { CONDITIONS, type ConditionName, type ModelWeights } from '../../../src/experiment/results';
import { PRESETS } from '../../../src/experiment/config';
import { traitResult } from '../../../src/experiment/trait/result';
import { readRecord } from '../../../src/ui/history/recordSchema';
import type { SavedRun } from '../../../src/ui/history/store';
import { saved } from '../../support/ui/records';
import { MALFORMED, malformed } from './malformed';

const good = (): SavedRun => saved(1, 1_000);

/** The record with one change made to a copy of it. */
function spoiled(change: (record: Record<string, unknown> & SavedRun) => void): unknown {
  const record = structuredClone(good()) as Record<string, unknown> & SavedRun;
  change(record);
  return record;
}

const problem = (record: unknown) => {
  const read = readRecord(record);
  return 'problem' in read ? read.problem : null;
};

function weights(sizes: number[]): ModelWeights {
  return {
    sizes,
    weights: sizes.slice(1).map((out, l) => new Float32Array(sizes[l] * out)),
    biases: sizes.slice(1).map((out) => new Float32Array(out)),
  };
}

describe('reading a stored run', () => {
  it('passes a whole good record, theorem, curves, alignment and pictures included', () => {
    expect(readRecord(good())).toEqual({ run: good() });
  });

  const reasons: Record<keyof typeof MALFORMED, string> = {
    'a result that is a string': 'result: expected Object, found "oops"',
    'conditions missing': 'result.conditions: missing',
    'a null config': 'config: expected Object, found null',
    'a string ranAt': 'ranAt: expected number, found "2026-11-29"',
    'a curve point without accuracy': 'result.curves.distill.1.accuracy: missing',
  };
  it.each(Object.keys(MALFORMED))('refuses %s, saying where and why', (shape) => {
    expect(problem(malformed(good(), shape))).toBe(reasons[shape]);
  });

  it('refuses a config this page would not run, with experiment/config’s own words', () => {
    expect(problem(spoiled((r) => (r.result.config = { ...r.result.config, models: 0 })))).toBe(
      'result.config: models = 0 is out of range: allowed is a whole number from 1 to 1000',
    );
    expect(problem(spoiled((r) => (r.config.noise = 'static' as never)))).toMatch(/^config\.noise: expected /);
  });

  it('refuses what is not a record at all, and cuts a huge value short', () => {
    expect(problem(null)).toBe('the record: expected Object, found null');
    expect(problem(42)).toBe('the record: expected Object, found 42');
    const huge = problem(spoiled((r) => (r.backend = 7 as never as string)));
    expect(huge).toBe('backend: expected string, found 7');
    expect(problem(spoiled((r) => (r.ranAt = 'x'.repeat(100_000) as never)))!.length).toBeLessThanOrEqual(161);
  });

  it('keeps only the fields it knows: anything else in a record is dropped, not passed on', () => {
    const read = readRecord({ ...good(), script: 'alert(1)' });
    expect('run' in read && 'script' in read.run).toBe(false);
  });

  it('accepts draw weights as Float32Arrays that match their sizes, and refuses ones that do not', () => {
    const drawWeights = { teacher: weights([784, 3, 12]), cross_aux: weights([784, 3, 12]) };
    const read = readRecord({ ...good(), drawWeights });
    expect('run' in read && read.run.drawWeights).toEqual(drawWeights);
    const short = { teacher: { ...weights([784, 3, 12]), biases: [new Float32Array(3), new Float32Array(11)] } };
    expect(problem({ ...good(), drawWeights: short })).toBe(
      'drawWeights.teacher: layer arrays that do not match the sizes',
    );
    const plain = { teacher: { ...weights([784, 3, 12]), weights: [[0], [0]] } };
    expect(problem({ ...good(), drawWeights: plain })).toMatch(/^drawWeights\.teacher\.weights\.0: /);
  });

  it('reads a record made before traits as a digits run, and keeps a trait result and its curves', () => {
    const old = spoiled((r) => {
      for (const config of [r.config, r.result.config] as Partial<SavedRun['config']>[]) {
        delete config.trait;
        delete config.liminalWeight;
        delete config.liminalWindow;
        delete config.curveSpacing;
      }
      delete r.result.trait;
    });
    const read = readRecord(old);
    expect('run' in read && [read.run.config.trait, read.run.result.config.trait]).toEqual(['digits', 'digits']);
    // Fields that came with liminal training and the log-spaced curve read as the paper preset's.
    const { liminalWeight, liminalWindow, curveSpacing } = PRESETS.paper;
    expect(
      'run' in read && [read.run.config.liminalWeight, read.run.config.liminalWindow, read.run.config.curveSpacing],
    ).toEqual([liminalWeight, liminalWindow, curveSpacing]);
    expect('run' in read && read.run.result.trait).toBeUndefined();

    const shares = Object.fromEntries(CONDITIONS.map((name) => [name, [0.9]])) as Record<ConditionName, number[]>;
    const withTrait = spoiled((r) => {
      r.result.config.trait = 'favourite';
      r.result.trait = traitResult('favourite', shares);
      r.result.curves.distill[1] = { ...r.result.curves.distill[1], trait: { student_aux: [0.5] } };
    });
    const kept = readRecord(withTrait);
    expect('run' in kept && kept.run.result.trait).toEqual(traitResult('favourite', shares));
    expect('run' in kept && kept.run.result.curves.distill[1].trait).toEqual({ student_aux: [0.5] });
  });

  it('refuses a trait it does not know, or a measure outside [0, 1]', () => {
    expect(problem(spoiled((r) => (r.config.trait = 'owls' as never)))).toMatch(/^config\.trait: expected /);
    const shares = Object.fromEntries(CONDITIONS.map((name) => [name, [1.5]])) as Record<ConditionName, number[]>;
    expect(problem(spoiled((r) => (r.result.trait = traitResult('favourite', shares))))).toMatch(
      /^result\.trait\.conditions\.reference\.mean: /,
    );
  });
});
