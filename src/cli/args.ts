/** Command-line flags of `npm run experiment`: every config field, plus where and how to run. */
import { parseArgs } from 'node:util';
import {
  CONFIG_KEYS,
  FIELDS,
  configFromEntries,
  FIELD_ALIASES,
  kebab,
  type ConfigIssue,
  type ExperimentConfig,
  type PresetName,
} from '../experiment/config';
import { describeError } from '../base/describeError';
import type { StackMode } from '../experiment/model/mlp';
import type { CpuKernels } from '../experiment/step/simd/simdRun';
import { isNodeBackendRequest, NODE_BACKENDS, type NodeBackendRequest } from './backendRequest';

export interface CliOptions {
  config: ExperimentConfig;
  preset: PresetName;
  backend: NodeBackendRequest;
  out: string | null;
  mode: StackMode | undefined;
  /** CPU backends: the SIMD kernel (default) or stock tfjs ops, the reference. */
  kernels: CpuKernels | undefined;
  /** Worker threads (CPU backends); undefined = one per core, up to the number of models. */
  workers: number | undefined;
  /** Models per chunk; undefined = as many as the device holds. */
  chunk: number | undefined;
  /** Measure the alignment series and the one-step experiment too. */
  alignment: boolean;
  /** "setting=v1,v2,…": run the experiment at each value instead of once. */
  sweep: string | null;
  quiet: boolean;
  help: boolean;
}

const ALIASES = FIELD_ALIASES;
const flagName = kebab;

export function usage(): string {
  const lines = [
    'Usage: npm run experiment -- [--preset paper|quick|tiny] [--backend wasm|webgpu|cpu|auto] [--out results.json] [settings]',
    '',
    "Runs the MNIST subliminal-learning experiment headless and prints a table like the paper's figure.",
    '',
    'Settings (each overrides the preset; camelCase also accepted):',
    ...CONFIG_KEYS.map((field) => {
      const spec = FIELDS[field];
      const range =
        spec.kind === 'choice'
          ? spec.values.join('|')
          : spec.kind === 'intList'
            ? `w1,w2,… (${spec.min}–${spec.max})`
            : `${spec.min}–${spec.max}`;
      return `  --${flagName(field).padEnd(18)} ${spec.help} [${range}]`;
    }),
    `  aliases: ${Object.entries(ALIASES)
      .map(([alias, field]) => `--${alias} = --${flagName(field)}`)
      .join(', ')}`,
    '',
    'Running:',
    `  --backend           ${NODE_BACKENDS.join('|')} (default wasm; webgpu uses Dawn, on SwiftShader without a GPU)`,
    '  --kernels           simd|stock on CPU backends: the WebAssembly SIMD kernel (default) or stock tfjs ops (the reference)',
    '  --mode              batched|per-model stack computation for stock kernels (default: measured on CPU backends, batched on GPU)',
    '  --workers N         worker threads, each training a share of the models (default: one per core on wasm/cpu, 1 on webgpu)',
    '  --chunk N           models per chunk, trained one chunk after another (default: as many as the device holds)',
    '  --out FILE          write the results as JSON',
    '  --sweep S=V1,V2,…   run at each value of one setting (m, epochs, teacher-epochs, lr, batch-size, width,',
    '                      noise-images, noise, distill-loss, sigma, layers; layers=all = every combination)',
    '  --alignment         also measure why: alignment and distance series during distillation, and the one-step experiment',
    '  --quiet             no progress bar',
  ];
  return lines.join('\n');
}

/** A value that starts with a minus sign but is a number ("-1", "-0.1", "-.5", "-1e3", "-Infinity"). */
const SIGNED_NUMBER = /^-(?:[0-9.]|infinity\b|nan\b)/i;

/**
 * `--models -1` as `--models=-1`. parseArgs refuses a value that starts with a dash as "ambiguous"
 * (it might be a forgotten value followed by a flag); a signed number is no flag, so it goes on to
 * the field's own check and its message (range and value). Other dashed values stay ambiguous.
 */
export function joinSignedValues(argv: string[], valueFlags: ReadonlySet<string>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg.startsWith('--') && valueFlags.has(arg.slice(2)) && next !== undefined && SIGNED_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

interface GivenFlag {
  flag: string;
  value: string;
  /** What it sets, as a flag: "--m" and "--auxLogits" both set "--aux-logits". */
  setting: string;
}

function configField(flag: string): keyof ExperimentConfig | undefined {
  return ALIASES[flag] ?? CONFIG_KEYS.find((key) => key === flag || flagName(key) === flag);
}

function settingOf(flag: string): string {
  const field = configField(flag);
  return `--${field ? flagName(field) : flag}`;
}

/** Settings given more than once, in any spelling, with every flag that gave them. */
function repeatedSettings(given: GivenFlag[]): [string, GivenFlag[]][] {
  const bySetting = new Map<string, GivenFlag[]>();
  for (const flag of given) bySetting.set(flag.setting, [...(bySetting.get(flag.setting) ?? []), flag]);
  return [...bySetting].filter(([, flags]) => flags.length > 1);
}

export function parseCli(argv: string[]): { options: CliOptions; issues: ConfigIssue[]; errors: string[] } {
  const fieldFlags: Record<string, { type: 'string' }> = {};
  for (const field of CONFIG_KEYS) {
    fieldFlags[field] = { type: 'string' };
    fieldFlags[flagName(field)] = { type: 'string' };
  }
  for (const alias of Object.keys(ALIASES)) fieldFlags[alias] = { type: 'string' };
  const options = {
    ...fieldFlags,
    preset: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string' },
    mode: { type: 'string' },
    kernels: { type: 'string' },
    workers: { type: 'string' },
    chunk: { type: 'string' },
    alignment: { type: 'boolean', default: false },
    sweep: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  } as const;
  const valueFlags = new Set(
    Object.entries(options)
      .filter(([, spec]) => spec.type === 'string')
      .map(([flag]) => flag),
  );

  const errors: string[] = [];
  let values: Record<string, string | boolean | undefined> = {};
  let given: GivenFlag[] = [];
  try {
    const parsed = parseArgs({
      args: joinSignedValues(argv, valueFlags),
      strict: true,
      allowPositionals: false,
      options,
      tokens: true,
    });
    values = parsed.values;
    given = parsed.tokens.flatMap((token) =>
      token.kind === 'option' && token.value !== undefined
        ? [{ flag: token.name, value: token.value, setting: settingOf(token.name) }]
        : [],
    );
  } catch (error) {
    errors.push(describeError(error));
  }
  // parseArgs keeps the last of a repeated flag; which one was meant is a guess, so neither is used.
  const repeated = repeatedSettings(given);
  for (const [setting, flags] of repeated) {
    const list = flags.map(({ flag, value }) => `--${flag} ${value}`).join(', ');
    errors.push(`${setting} is given ${flags.length} times (${list}): give it once`);
    for (const { flag } of flags) delete values[flag];
  }

  const entries: [string, string][] = [];
  if (typeof values.preset === 'string') entries.push(['preset', values.preset]);
  for (const [flag, value] of Object.entries(values)) {
    if (typeof value !== 'string') continue;
    const field = configField(flag);
    if (field) entries.push([field, value]);
  }
  const { config, preset, issues } = configFromEntries(entries);

  const backend = String(values.backend ?? 'wasm');
  if (!isNodeBackendRequest(backend))
    errors.push(`--backend ${backend} is unknown: choose one of ${NODE_BACKENDS.join(', ')}`);
  const mode = values.mode as string | undefined;
  if (mode !== undefined && mode !== 'batched' && mode !== 'per-model')
    errors.push(`--mode ${mode} is unknown: choose batched or per-model`);
  const kernels = values.kernels as string | undefined;
  if (kernels !== undefined && kernels !== 'simd' && kernels !== 'stock')
    errors.push(`--kernels ${kernels} is unknown: choose simd or stock`);

  const count = (flag: 'workers' | 'chunk'): number | undefined => {
    const text = values[flag];
    if (typeof text !== 'string') return undefined;
    // Decimal digits only: "0x10" or "1e1" are not how anyone means a thread count.
    const n = /^[0-9]+$/.test(text.trim()) ? Number(text) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= 1000) return n;
    errors.push(`--${flag} ${text} is out of range: allowed is a whole number from 1 to 1000, in decimal digits`);
    return undefined;
  };

  return {
    options: {
      config,
      preset,
      backend: isNodeBackendRequest(backend) ? backend : 'wasm',
      out: typeof values.out === 'string' ? values.out : null,
      mode: mode as StackMode | undefined,
      kernels: kernels as CpuKernels | undefined,
      workers: count('workers'),
      chunk: count('chunk'),
      alignment: values.alignment === true,
      sweep: typeof values.sweep === 'string' ? values.sweep : null,
      quiet: values.quiet === true,
      help: values.help === true,
    },
    issues,
    errors,
  };
}
