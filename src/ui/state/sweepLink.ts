/**
 * Sweeps in the page's URL: the settings plus `sweep=setting=v1,v2,…` (sweep.ts's text form), what
 * such a link fills into the sweep panels (it never starts a run), and each setting's values to try
 * first. Pure, no React.
 */
import type { ExperimentConfig } from '../../experiment/config';
import {
  layerCombinations,
  planSweep,
  settingNamed,
  sweepFromQuery,
  type SweepSetting,
} from '../../experiment/sweep/sweep';
import { DEFAULT_PRESET, readQuery } from './settings';
import type { SweepKind } from './sweepState';

/** The query key of a sweep. */
export const SWEEP_KEY = 'sweep';

/** Values each setting starts with in the sweep panel. */
export const DEFAULT_VALUES: Record<SweepSetting, string> = {
  auxLogits: '1,2,3,5,10',
  studentEpochs: '1,2,5',
  teacherEpochs: '1,2,5',
  learningRate: '0.0001,0.0003,0.001,0.003,0.01',
  batchSize: '64,256,1024',
  hiddenWidth: '64,128,256',
  noiseImages: '1000,5000,20000',
  noise: 'uniform,gaussian,shuffled,mnist',
  distillLoss: 'kl,mse',
  studentInitNoise: '0,0.01,0.05',
  freshLayers: 'all',
  liminalWindow: '0,0.1,0.5,1',
  liminalWeight: '0.1,1,10',
  mitigation: 'none,project,liminal',
};

/** The chain panel's first values. */
export const CHAIN_DEFAULTS = { generations: 5, values: '3,10', minGenerations: 2, maxGenerations: 10 } as const;

/** What a sweep link fills in. */
export interface SweepPrefill {
  kind: SweepKind;
  setting: SweepSetting;
  /** The values' text, as the panel's field shows it. */
  values: string;
  /** Chain links: the generations asked for. */
  generations: number;
  /** Why the link's sweep cannot run as it is (its values stay in the field to fix). */
  issues: string[];
}

/** The query without its sweep: what the settings read. */
export function withoutSweep(query: string): string {
  const params = readQuery(query);
  params.delete(SWEEP_KEY);
  return params.toString();
}

/** Which panel a planned sweep belongs to. */
export function sweepKindOf(base: ExperimentConfig, setting: SweepSetting, values: readonly string[]): SweepKind {
  const every = layerCombinations(base.hidden.length + 1);
  if (setting === 'freshLayers' && (values.join(',') === 'all' || values.join(',') === every.join(',')))
    return 'layers';
  if (setting === 'auxLogits' && base.generations > 1) return 'chain';
  return 'values';
}

/** What a link's sweep fills in, or null when the link has none. A link without a preset starts from the page's default one. */
export function sweepPrefill(query: string): SweepPrefill | null {
  const params = readQuery(query);
  const text = params.get(SWEEP_KEY);
  if (text === null) return null;
  if (!params.has('preset')) params.set('preset', DEFAULT_PRESET);
  const { base } = sweepFromQuery(params.toString());
  const { plan, issues } = planSweep(base, text);
  const generations = Math.min(
    Math.max(base.generations, CHAIN_DEFAULTS.minGenerations),
    CHAIN_DEFAULTS.maxGenerations,
  );
  if (plan) {
    const kind = sweepKindOf(base, plan.setting, plan.values);
    return {
      kind,
      setting: plan.setting,
      values: kind === 'layers' ? 'all' : plan.values.join(','),
      generations,
      issues: [],
    };
  }
  // Refused: keep what it says where the panel can show it.
  const match = /^\s*([A-Za-z-]+)\s*=\s*(.*?)\s*$/.exec(text);
  const setting = match ? settingNamed(match[1]) : null;
  if (!setting) return { kind: 'values', setting: 'auxLogits', values: DEFAULT_VALUES.auxLogits, generations, issues };
  const values = match![2];
  return { kind: sweepKindOf(base, setting, values.split(',')), setting, values, generations, issues };
}
