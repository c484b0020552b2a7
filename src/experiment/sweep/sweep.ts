/**
 * Sweeps: one setting, a list of values, the experiment at each. This file plans them (which
 * configs, their text form in URLs and on the command line); `sweepRun.ts` runs them.
 */
import {
  configToEntries,
  configFromEntries,
  FIELD_ALIASES,
  kebab,
  validateConfig,
  type ExperimentConfig,
  type PresetName,
} from '../config';
import { modelsPerChunk, planChunks, type DeviceLimits, type MeasureOptions } from '../schedule/chunks';
import type { ExperimentResult } from '../results';

/** What a sweep can vary: a config field, or every hidden layer's width at once. */
export type SweepSetting =
  | 'auxLogits'
  | 'studentEpochs'
  | 'teacherEpochs'
  | 'learningRate'
  | 'batchSize'
  | 'hiddenWidth'
  | 'noiseImages'
  | 'noise'
  | 'distillLoss'
  | 'studentInitNoise'
  | 'freshLayers'
  | 'liminalWindow'
  | 'liminalWeight'
  | 'mitigation';

export const SWEEP_SETTINGS: Record<SweepSetting, { label: string; numeric: boolean }> = {
  auxLogits: { label: 'auxiliary logits m', numeric: true },
  studentEpochs: { label: 'distillation epochs', numeric: true },
  teacherEpochs: { label: 'teacher epochs', numeric: true },
  learningRate: { label: 'learning rate', numeric: true },
  batchSize: { label: 'batch size', numeric: true },
  hiddenWidth: { label: 'hidden width', numeric: true },
  noiseImages: { label: 'noise images', numeric: true },
  noise: { label: 'distillation inputs', numeric: false },
  distillLoss: { label: 'distillation loss', numeric: false },
  studentInitNoise: { label: "σ of the noise on the student's start", numeric: true },
  freshLayers: { label: 'layers re-initialised in the same-init students', numeric: false },
  liminalWindow: { label: "liminal training's window (epochs)", numeric: true },
  liminalWeight: { label: "liminal training's weight λ", numeric: true },
  // The mitigations side by side: none, gradient projection, liminal training (its λ and window from the base).
  mitigation: { label: 'mitigation', numeric: false },
};

/** Short names people reach for: the command line's, and names for what only a sweep varies. */
const ALIASES: Record<string, SweepSetting> = {
  ...FIELD_ALIASES,
  width: 'hiddenWidth',
  sigma: 'studentInitNoise',
  layers: 'freshLayers',
} as Record<string, SweepSetting>;

/** The setting a name stands for (its name, kebab-case name or alias), or null. */
export function settingNamed(name: string): SweepSetting | null {
  if (Object.hasOwn(ALIASES, name)) return ALIASES[name];
  const setting = (Object.keys(SWEEP_SETTINGS) as SweepSetting[]).find((key) => key === name || kebab(key) === name);
  return setting ?? null;
}

export interface SweepPlan {
  setting: SweepSetting;
  /** The values as written (fresh-layer sets as "none", "1", "1+2", …). */
  values: string[];
  /** The experiment at each value, in order. */
  configs: ExperimentConfig[];
}

/** Every subset of layers 1…n, as sweep values: none, 1, 2, …, 1+2, …, 1+…+n. */
export function layerCombinations(layers: number): string[] {
  const subsets: number[][] = [];
  for (let mask = 0; mask < 2 ** layers; mask++) {
    subsets.push(Array.from({ length: layers }, (_, i) => i + 1).filter((layer) => mask & (1 << (layer - 1))));
  }
  subsets.sort((a, b) => a.length - b.length || a.join().localeCompare(b.join()));
  return subsets.map((subset) => (subset.length === 0 ? 'none' : subset.join('+')));
}

/** The config of one sweep value, or why the value is refused. */
function applyValue(
  base: ExperimentConfig,
  setting: SweepSetting,
  value: string,
): { config?: ExperimentConfig; issue?: string } {
  const field = setting === 'hiddenWidth' ? 'hidden' : setting;
  const text =
    setting === 'hiddenWidth'
      ? base.hidden.map(() => value).join(',')
      : setting === 'freshLayers'
        ? value.replaceAll('+', ',')
        : value;
  const entries = configToEntries(base, 'paper').filter(([key]) => key !== field);
  const { config, issues } = configFromEntries([...entries, [field, text]]);
  const own = issues.find((issue) => issue.field === field) ?? validateConfig(config)[0];
  if (own) return { issue: `${setting} = ${value}: ${own.message}` };
  return { config };
}

/**
 * Reads "setting=v1,v2,…" (e.g. "m=1,2,3,5,10", "noise=uniform,gaussian,shuffled,mnist",
 * "layers=all" for every combination of re-initialised layers) against a base config.
 */
export function planSweep(base: ExperimentConfig, text: string): { plan: SweepPlan | null; issues: string[] } {
  const match = /^\s*([A-Za-z-]+)\s*=\s*(.+?)\s*$/.exec(text);
  if (!match) return { plan: null, issues: [`sweep "${text}" must read setting=value,value,… (e.g. m=1,2,3,5,10)`] };
  const setting = settingNamed(match[1]);
  if (!setting) {
    return {
      plan: null,
      issues: [
        `"${match[1]}" cannot be swept: choose one of ${Object.keys(SWEEP_SETTINGS).join(', ')} (or ${Object.keys(ALIASES).join(', ')})`,
      ],
    };
  }
  if ((setting === 'liminalWindow' || setting === 'liminalWeight') && base.mitigation !== 'liminal')
    return { plan: null, issues: [`sweeping ${setting} needs mitigation = liminal (it is ${base.mitigation})`] };
  const values =
    setting === 'freshLayers' && match[2].trim() === 'all'
      ? layerCombinations(base.hidden.length + 1)
      : match[2].split(',').map((value) => value.trim());
  const issues: string[] = [];
  if (values.some((value) => value === '')) issues.push(`sweep "${text}" has an empty value`);
  if (new Set(values).size !== values.length) issues.push(`sweep "${text}" repeats a value`);
  if (values.length > 64) issues.push(`sweep "${text}" has ${values.length} values: at most 64`);
  if (issues.length > 0) return { plan: null, issues };
  const configs: ExperimentConfig[] = [];
  for (const value of values) {
    const { config, issue } = applyValue(base, setting, value);
    if (issue) issues.push(issue);
    else configs.push(config!);
  }
  return issues.length > 0 ? { plan: null, issues } : { plan: { setting, values, configs }, issues };
}

/**
 * How each value's run is laid out on a device: its models, batched in stacks of at most
 * `perChunk` (one chunk when they all fit), from the same memory estimate as any run. Values whose
 * networks are bigger (m, width) or whose batches are (batch size) get smaller chunks.
 */
export function sweepChunks(
  plan: SweepPlan,
  limits: DeviceLimits,
  measure: MeasureOptions = {},
): { value: string; perChunk: number; chunks: number[][] }[] {
  return plan.configs.map((config, i) => {
    const perChunk = modelsPerChunk(config, limits, measure);
    return { value: plan.values[i], perChunk, chunks: planChunks(config.models, perChunk) };
  });
}

/** "m=1,2,3" — the plan's own text form (values as written). */
export function sweepText(plan: Pick<SweepPlan, 'setting' | 'values'>): string {
  return `${plan.setting}=${plan.values.join(',')}`;
}

/** A shareable query: the base config's entries plus `sweep=…`. */
export function sweepToQuery(
  base: ExperimentConfig,
  presetName: PresetName,
  plan: Pick<SweepPlan, 'setting' | 'values'>,
): string {
  return new URLSearchParams([...configToEntries(base, presetName), ['sweep', sweepText(plan)]]).toString();
}

/** The base config and the plan from a query; issues for either. */
export function sweepFromQuery(query: string): {
  base: ExperimentConfig;
  preset: PresetName;
  plan: SweepPlan | null;
  issues: string[];
} {
  const params = new URLSearchParams(query);
  const sweep = params.get('sweep');
  params.delete('sweep');
  const { config, preset, issues } = configFromEntries(params.entries());
  const planned = sweep === null ? { plan: null, issues: [] } : planSweep(config, sweep);
  return {
    base: config,
    preset,
    plan: planned.plan,
    issues: [...issues.map((issue) => issue.message), ...planned.issues],
  };
}

export interface SweepPoint {
  value: string;
  result: ExperimentResult;
}

/** A finished sweep, the JSON the page and the command line write. */
export interface SweepResult {
  kind: 'sweep';
  setting: SweepSetting;
  values: string[];
  /** The config every value starts from. */
  base: ExperimentConfig;
  points: SweepPoint[];
  seconds: number;
}
