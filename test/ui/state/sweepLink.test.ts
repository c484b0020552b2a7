import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import {
  planSweep,
  sweepFromQuery,
  sweepToQuery,
  SWEEP_SETTINGS,
  type SweepSetting,
} from '../../../src/experiment/sweep/sweep';
import { settingsFromQuery } from '../../../src/ui/state/settings';
import { DEFAULT_VALUES, sweepPrefill, withoutSweep } from '../../../src/ui/state/sweepLink';

describe('sweep links', () => {
  it('every setting’s default values plan as they are against the quick and the paper preset', () => {
    for (const name of ['quick', 'paper'] as const) {
      for (const setting of Object.keys(SWEEP_SETTINGS) as SweepSetting[]) {
        // Liminal training's weight and window are swept with liminal training on.
        const liminal = setting === 'liminalWeight' || setting === 'liminalWindow';
        const base = { ...preset(name), ...(liminal && { mitigation: 'liminal' as const }) };
        const { plan, issues } = planSweep(base, `${setting}=${DEFAULT_VALUES[setting]}`);
        expect(issues, `${name}: ${setting}`).toEqual([]);
        expect(plan?.setting).toBe(setting);
      }
    }
  });

  it('round-trips a sweep of one setting: the link fills the panel in', () => {
    const base = { ...preset('tiny'), models: 5 };
    const plan = planSweep(base, 'lr=0.0001,0.001,0.01').plan!;
    const query = sweepToQuery(base, 'tiny', plan);
    expect(sweepPrefill(`?${query}`)).toEqual({
      kind: 'values',
      setting: 'learningRate',
      values: '0.0001,0.001,0.01',
      generations: 2,
      issues: [],
    });
    // The settings read the same link without the sweep, and see nothing wrong with it.
    const settings = settingsFromQuery(`?${query}`);
    expect(settings.linkIssues).toEqual([]);
    expect(settings.config).toEqual(base);
    expect(sweepFromQuery(query).base).toEqual(base);
    expect(withoutSweep(query)).toBe('preset=tiny&models=5');
  });

  it('recognises the layer comparison and chains', () => {
    const base = preset('quick');
    const layers = planSweep(base, 'layers=all').plan!;
    expect(sweepPrefill(sweepToQuery(base, 'quick', layers))).toMatchObject({
      kind: 'layers',
      setting: 'freshLayers',
      values: 'all',
      issues: [],
    });
    const chainBase = { ...base, generations: 4 };
    const chain = planSweep(chainBase, 'm=3,10').plan!;
    const query = sweepToQuery(chainBase, 'quick', chain);
    expect(query).toContain('generations=4');
    expect(sweepPrefill(query)).toEqual({
      kind: 'chain',
      setting: 'auxLogits',
      values: '3,10',
      generations: 4,
      issues: [],
    });
    // m without generations is a plain sweep.
    expect(sweepPrefill(sweepToQuery(base, 'quick', chain))?.kind).toBe('values');
  });

  it('keeps a refused sweep in the panel with the reasons', () => {
    const prefill = sweepPrefill('?preset=tiny&sweep=m=1,0,3')!;
    expect(prefill).toMatchObject({ kind: 'values', setting: 'auxLogits', values: '1,0,3' });
    expect(prefill.issues.join(' ')).toContain('auxLogits = 0');
    const unknown = sweepPrefill('?sweep=colour=red,blue')!;
    expect(unknown.setting).toBe('auxLogits');
    expect(unknown.issues[0]).toContain('"colour" cannot be swept');
  });

  it('a link without a sweep fills nothing in; one without a preset starts from the page’s default', () => {
    expect(sweepPrefill('?preset=tiny&models=3')).toBeNull();
    expect(sweepPrefill('?sweep=width=64,128')).toMatchObject({
      kind: 'values',
      setting: 'hiddenWidth',
      values: '64,128',
    });
  });
});
