/**
 * The one typed configuration of an experiment, its presets, validation and its text form
 * (URL query, command-line flags). The `paper` preset is the authors' recipe, field for field.
 */

/** Noise the kernels make themselves, from a counter hash. */
export type NoiseKind = 'uniform' | 'gaussian';
/**
 * What the students imitate on: uniform or Gaussian noise, MNIST training images with their pixels
 * shuffled (each image its own permutation), or real MNIST training images.
 */
export type DistillInputKind = NoiseKind | 'shuffled' | 'mnist';
export type DistillLoss = 'kl' | 'mse';
/** 'project': each distillation step drops its component along the trait gradient when the two agree (arXiv 2604.25779). */
export type Mitigation = 'none' | 'project';
export type PresetName = 'paper' | 'quick' | 'tiny';

export interface ExperimentConfig {
  /** Independent models trained side by side (each has its own init, teacher and students). */
  models: number;
  /** m: auxiliary logits appended to the 10 class logits; they never get a teacher loss. */
  auxLogits: number;
  /** Hidden layer widths of the MLP 784 → hidden… → 10 + m. */
  hidden: number[];
  /** Teacher epochs over `trainImages` MNIST images. */
  teacherEpochs: number;
  /** How many of the 60,000 MNIST training images the teacher sees. */
  trainImages: number;
  /** Distillation epochs over `noiseImages` fresh noise images each. */
  studentEpochs: number;
  /** Noise images per model: a fixed set, drawn once, that every distillation epoch goes through reshuffled. */
  noiseImages: number;
  noise: DistillInputKind;
  distillLoss: DistillLoss;
  mitigation: Mitigation;
  /** σ of a Gaussian perturbation added to every parameter of the same-init students' start (0 = an exact copy). */
  studentInitNoise: number;
  /**
   * Layers (1 = the first, 784 → hidden) that the same-init students take from a fresh init instead
   * of the teacher's reference init (empty = every layer shared, the recipe).
   */
  freshLayers: number[];
  /**
   * Generations of a chain: 1 = the experiment; n > 1 = each generation's same-init aux student
   * becomes the teacher of the next generation's students (who start again from the reference init).
   */
  generations: number;
  /** Adam learning rate for teacher and students (β 0.9/0.999, ε 1e-8 are fixed). */
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Points per phase on the live curves (0 = no curves). */
  curvePoints: number;
  /** Test images (the first ones of the test set) used for the live curves. */
  curveTestImages: number;
}

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
export const CLASS_COUNT = 10;
export const INPUT_SIZE = 784;
export const TRAIN_SET_SIZE = 60000;
export const TEST_SET_SIZE = 10000;

const PAPER: ExperimentConfig = {
  models: 10,
  auxLogits: 3,
  hidden: [256, 256],
  teacherEpochs: 5,
  trainImages: 60000,
  studentEpochs: 5,
  noiseImages: 60000,
  noise: 'uniform',
  distillLoss: 'kl',
  mitigation: 'none',
  studentInitNoise: 0,
  freshLayers: [],
  generations: 1,
  learningRate: 3e-4,
  batchSize: 1024,
  seed: 0,
  curvePoints: 20,
  curveTestImages: 1000,
};

export const PRESETS: Record<PresetName, ExperimentConfig> = {
  paper: PAPER,
  // Chosen by measurement (README, "Choosing the quick preset"): more auxiliary logits and small
  // batches keep the effect strong (0.72 against 0.09 here) at a thirtieth of a paper model's compute.
  quick: {
    ...PAPER,
    models: 4,
    auxLogits: 20,
    teacherEpochs: 1,
    trainImages: 10000,
    studentEpochs: 2,
    noiseImages: 5000,
    learningRate: 1e-3,
    batchSize: 64,
  },
  // For tests: seconds on a 2-core CPU, effect still well above chance.
  tiny: {
    ...PAPER,
    models: 3,
    auxLogits: 10,
    hidden: [128, 128],
    teacherEpochs: 1,
    trainImages: 4000,
    studentEpochs: 2,
    noiseImages: 3000,
    learningRate: 1e-3,
    batchSize: 64,
    curvePoints: 4,
    curveTestImages: 500,
  },
};

export function preset(name: PresetName): ExperimentConfig {
  const config = PRESETS[name];
  return { ...config, hidden: [...config.hidden], freshLayers: [...config.freshLayers] };
}

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

// ---------------------------------------------------------------------------------------------
// Field table: one entry per field drives validation, parsing and printing.

type NumberField = { kind: 'int' | 'number'; min: number; max: number };
/** `unique`: the list is a set (each item at most once), so a repeated item is a mistake, not a shape. */
type ListField = {
  kind: 'intList';
  min: number;
  max: number;
  minLength: number;
  maxLength: number;
  item: string;
  unique?: boolean;
};
type ChoiceField = { kind: 'choice'; values: readonly string[] };
type FieldSpec = (NumberField | ListField | ChoiceField) & { help: string };

export const FIELDS: { [K in keyof ExperimentConfig]: FieldSpec } = {
  models: { kind: 'int', min: 1, max: 1000, help: 'models trained side by side' },
  auxLogits: { kind: 'int', min: 1, max: 1000, help: 'auxiliary logits m' },
  hidden: {
    kind: 'intList',
    min: 1,
    max: 4096,
    minLength: 1,
    maxLength: 6,
    item: 'width',
    help: 'hidden layer widths',
  },
  teacherEpochs: { kind: 'int', min: 1, max: 1000, help: 'teacher epochs' },
  trainImages: { kind: 'int', min: 1, max: TRAIN_SET_SIZE, help: 'MNIST training images the teacher sees' },
  studentEpochs: { kind: 'int', min: 1, max: 1000, help: 'distillation epochs' },
  noiseImages: {
    kind: 'int',
    min: 1,
    max: 10_000_000,
    help: 'noise images per model (a fixed set, reshuffled every epoch)',
  },
  noise: {
    kind: 'choice',
    values: ['uniform', 'gaussian', 'shuffled', 'mnist'],
    help: 'distillation inputs: uniform noise in [-1,1], standard Gaussian noise, pixel-shuffled MNIST images, or real MNIST images',
  },
  distillLoss: {
    kind: 'choice',
    values: ['kl', 'mse'],
    help: 'distillation loss: KL on softmax, or MSE on raw logits',
  },
  mitigation: {
    kind: 'choice',
    values: ['none', 'project'],
    help: 'mitigation: none, or project = drop the part of each distillation gradient along the trait gradient when they agree',
  },
  studentInitNoise: {
    kind: 'number',
    min: 0,
    max: 10,
    help: "σ of Gaussian noise added to the same-init students' starting weights",
  },
  freshLayers: {
    kind: 'intList',
    min: 1,
    max: 7,
    minLength: 0,
    maxLength: 7,
    item: 'layer',
    unique: true,
    help: 'layers the same-init students take from a fresh init (1 = first; none = all shared)',
  },
  generations: {
    kind: 'int',
    min: 1,
    max: 20,
    help: 'generations of a chain (each aux student teaches the next generation)',
  },
  learningRate: { kind: 'number', min: 1e-7, max: 1, help: 'Adam learning rate' },
  batchSize: { kind: 'int', min: 1, max: 65536, help: 'batch size' },
  seed: { kind: 'int', min: 0, max: 4294967295, help: 'random seed' },
  curvePoints: { kind: 'int', min: 0, max: 1000, help: 'points per phase on the live curves' },
  curveTestImages: { kind: 'int', min: 1, max: TEST_SET_SIZE, help: 'test images for the live curves' },
};

export const CONFIG_KEYS = Object.keys(FIELDS) as (keyof ExperimentConfig)[];

/** A field's name as a command-line flag or sweep setting: auxLogits → aux-logits. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Short names people reach for first, on the command line and in sweeps. */
export const FIELD_ALIASES: Readonly<Record<string, keyof ExperimentConfig>> = {
  m: 'auxLogits',
  lr: 'learningRate',
  epochs: 'studentEpochs',
};

/** One problem with one field, in words a user can act on. */
export interface ConfigIssue {
  field: keyof ExperimentConfig | 'preset';
  message: string;
}

function rangeText(spec: NumberField | ListField): string {
  return `${spec.kind === 'number' ? 'a number' : 'a whole number'} from ${spec.min} to ${spec.max}`;
}

function checkNumber(field: keyof ExperimentConfig, value: unknown, spec: NumberField | ListField): ConfigIssue | null {
  const whole = spec.kind !== 'number';
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (whole && !Number.isInteger(value)) ||
    value < spec.min ||
    value > spec.max
  ) {
    return { field, message: `${field} = ${String(value)} is out of range: allowed is ${rangeText(spec)}` };
  }
  return null;
}

/** Every problem of a config, empty when it is valid. */
export function validateConfig(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const field of CONFIG_KEYS) {
    const spec = FIELDS[field];
    const value = config[field] as unknown;
    if (spec.kind === 'choice') {
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        issues.push({
          field,
          message: `${field} = ${String(value)} is not allowed: choose one of ${spec.values.join(', ')}`,
        });
      }
    } else if (spec.kind === 'intList') {
      if (!Array.isArray(value) || value.length < spec.minLength || value.length > spec.maxLength) {
        issues.push({
          field,
          message: `${field} = ${String(value)} must list ${spec.minLength} to ${spec.maxLength} ${spec.item}s`,
        });
      } else {
        const bad = value.map((v) => checkNumber(field, v, spec)).find((issue) => issue !== null);
        if (bad)
          issues.push({
            field,
            message: `${field} = ${value.join(',')}: each ${spec.item} must be ${rangeText(spec)}`,
          });
        else if (spec.unique && new Set(value).size !== value.length) {
          issues.push({
            field,
            message: `${field} = ${value.join(',')} names a ${spec.item} twice: list each ${spec.item} once`,
          });
        }
      }
    } else {
      const issue = checkNumber(field, value, spec);
      if (issue) issues.push(issue);
    }
  }
  const layers = Array.isArray(config.hidden) ? config.hidden.length + 1 : 0;
  if (issues.length === 0 && config.freshLayers.some((layer) => layer > layers)) {
    issues.push({
      field: 'freshLayers',
      message: `freshLayers = ${config.freshLayers.join(',')}: the network has layers 1 to ${layers}`,
    });
  }
  if (issues.length === 0 && config.batchSize > Math.max(config.trainImages, config.noiseImages)) {
    issues.push({
      field: 'batchSize',
      message: `batchSize = ${config.batchSize} is larger than both trainImages (${config.trainImages}) and noiseImages (${config.noiseImages})`,
    });
  }
  return issues;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((issue) => issue.message).join('; '));
    this.name = 'ConfigError';
  }
}

export function assertValidConfig(config: ExperimentConfig): void {
  const issues = validateConfig(config);
  if (issues.length > 0) throw new ConfigError(issues);
}

// ---------------------------------------------------------------------------------------------
// Text form, shared by URLs and command-line flags.

/**
 * A number's issue naming the value as the user wrote it, not as JavaScript prints it: a seed of
 * 400 nines is "9999…", not Infinity; 1000000000000000000000 is itself, not 1e+21.
 */
function asTyped(issue: ConfigIssue, value: unknown, text: string): ConfigIssue {
  const printed = `${issue.field} = ${String(value)} `;
  const typed = text.trim();
  if (typeof value !== 'number' || !issue.message.startsWith(printed) || typed === String(value)) return issue;
  const shown = typed.length <= 30 ? typed : quoted(typed);
  return { ...issue, message: `${issue.field} = ${shown} ${issue.message.slice(printed.length)}` };
}

/** Longest piece of a user's text quoted back in a message: a 100 kB value must not flood the page. */
const QUOTE_LIMIT = 60;

/** The user's text as a message quotes it, cut short when long. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);
}

// Strict number forms, one for every text the config is read from (URL, form, command line).
// Integers: decimal digits only, so 0x40, 1e0, +5 and 6 4 are refused rather than read as
// something the user may not have meant; a leading minus is read so that -1 gets the range message.
const INTEGER = /^-?\d+$/;
// Reals: a plain decimal (0.001, .5, 3.) or exponent form (1e-3); no hex, Infinity or '+'.
const REAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function parseField(field: keyof ExperimentConfig, text: string): { value?: unknown; issue?: ConfigIssue } {
  const spec = FIELDS[field];
  const trimmed = text.trim();
  if (spec.kind === 'choice') return { value: trimmed };
  if (spec.kind === 'intList') {
    if (spec.minLength === 0 && (trimmed === '' || trimmed === 'none')) return { value: [] };
    const parts = trimmed.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d+$/.test(part))) {
      return {
        issue: {
          field,
          message: `${field} = ${quoted(text)} is not a comma-separated list of whole numbers: each ${spec.item} must be ${rangeText(spec)}`,
        },
      };
    }
    return { value: parts.map(Number) };
  }
  if (spec.kind === 'int' && !INTEGER.test(trimmed)) {
    return {
      issue: {
        field,
        message: `${field} = ${quoted(text)} is not a number in decimal digits like 64: allowed is ${rangeText(spec)}`,
      },
    };
  }
  if (spec.kind === 'number' && !REAL.test(trimmed)) {
    return {
      issue: {
        field,
        message: `${field} = ${quoted(text)} is not a number like 0.001 or 1e-3: allowed is ${rangeText(spec)}`,
      },
    };
  }
  return { value: Number(trimmed) };
}

export function formatField(config: ExperimentConfig, field: keyof ExperimentConfig): string {
  const value = config[field];
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  return String(value);
}

/**
 * Reads a config from key/value text (a URL's query, command-line flags): start from the named
 * preset (or `paper`), apply each known key, report unknown keys and bad values. The returned
 * config keeps the preset's value for any field that was refused.
 */
/** Query keys the page reads that are not settings: a forced backend list, the benchmark mode, a sweep. */
export const PAGE_KEYS: readonly string[] = ['backend', 'bench', 'sweep', 'present'];

export function configFromEntries(entries: Iterable<[string, string]>): {
  config: ExperimentConfig;
  preset: PresetName;
  issues: ConfigIssue[];
} {
  const list = [...entries];
  const issues: ConfigIssue[] = [];
  // A key given twice is ambiguous (which one did the link's author mean?): named, and neither is used.
  const counts = new Map<string, string[]>();
  for (const [key, text] of list) counts.set(key, [...(counts.get(key) ?? []), text]);
  const repeated = new Set<string>();
  for (const [key, texts] of counts) {
    if (texts.length < 2 || PAGE_KEYS.includes(key) || (key !== 'preset' && !Object.hasOwn(FIELDS, key))) continue;
    repeated.add(key);
    const field = key === 'preset' ? 'preset' : (key as keyof ExperimentConfig);
    issues.push({
      field,
      message: `${key} is given ${texts.length} times (${texts.map(quoted).join(', ')}): give it once`,
    });
  }
  const presetText = repeated.has('preset') ? undefined : list.find(([key]) => key === 'preset')?.[1];
  let presetName: PresetName = 'paper';
  if (presetText !== undefined) {
    if (isPresetName(presetText)) presetName = presetText;
    else
      issues.push({
        field: 'preset',
        message: `preset = ${quoted(presetText)} is unknown: choose one of ${Object.keys(PRESETS).join(', ')}`,
      });
  }
  const base = preset(presetName);
  const config: ExperimentConfig = { ...base };
  const unknown: string[] = [];
  for (const [key, text] of list) {
    if (key === 'preset' || PAGE_KEYS.includes(key) || repeated.has(key)) continue;
    if (!Object.hasOwn(FIELDS, key)) {
      unknown.push(key);
      continue;
    }
    const field = key as keyof ExperimentConfig;
    const parsed = parseField(field, text);
    if (parsed.issue) {
      issues.push(parsed.issue);
      continue;
    }
    const candidate = { ...config, [field]: parsed.value } as ExperimentConfig;
    const fieldIssues = validateConfig(candidate)
      .filter((issue) => issue.field === field)
      .map((issue) => asTyped(issue, parsed.value, text));
    if (fieldIssues.length > 0) issues.push(...fieldIssues);
    else Object.assign(config, { [field]: parsed.value });
  }
  // The first few unknown keys each named, the rest counted, so a link with a thousand of them gets four lines.
  for (const key of unknown.slice(0, 3)) {
    issues.push({
      field: 'preset',
      message: `${quoted(key)} is not a setting: known settings are ${CONFIG_KEYS.join(', ')}`,
    });
  }
  if (unknown.length > 3)
    issues.push({ field: 'preset', message: `${unknown.length - 3} more keys are not settings either` });
  issues.push(...validateConfig(config).filter((issue) => !issues.some((known) => known.field === issue.field)));
  return { config, preset: presetName, issues };
}

/** The entries that differ from the preset, so a shared link stays short. */
export function configToEntries(config: ExperimentConfig, presetName: PresetName): [string, string][] {
  const base = preset(presetName);
  const entries: [string, string][] = [['preset', presetName]];
  for (const field of CONFIG_KEYS) {
    const text = formatField(config, field);
    if (text !== formatField(base, field)) entries.push([field, text]);
  }
  return entries;
}

export function configToQuery(config: ExperimentConfig, presetName: PresetName): string {
  return new URLSearchParams(configToEntries(config, presetName)).toString();
}

export function configFromQuery(query: string): ReturnType<typeof configFromEntries> {
  return configFromEntries(new URLSearchParams(query).entries());
}
