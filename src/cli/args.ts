/** Command-line flags of `npm run experiment`: every config field, plus where and how to run. */
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
import type { StackMode } from '../experiment/model/mlp';
import type { CpuKernels } from '../experiment/step/trainingPath';
import { isNodeBackendRequest, NODE_BACKENDS, type NodeBackendRequest } from './backendRequest';
import { configField, readFlags } from './flags';
import { parseShard, type Shard } from './shard';

export { joinSignedValues } from './flags';

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
  /** Shard K of N (--shard K/N): only models (or sweep values) K−1, K−1+N, …, written for `npm run merge`. */
  shard: Shard | null;
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
    '                      noise-images, noise, distill-loss, sigma, mitigation, liminal-window, liminal-weight,',
    '                      layers; layers=all = every combination)',
    '  --shard K/N         run only shard K of N (models, or sweep values, K−1, K−1+N, …) and write it with --out',
    '                      for `npm run merge` (one shard per machine: see docs/cluster.md)',
    '  --alignment         also measure why: alignment and distance series during distillation, and the one-step experiment',
    '  --quiet             no progress bar',
  ];
  return lines.join('\n');
}

export function parseCli(argv: string[]): { options: CliOptions; issues: ConfigIssue[]; errors: string[] } {
  const { values, errors } = readFlags(argv);

  const entries: [string, string][] = [];
  if (typeof values.preset === 'string') entries.push(['preset', values.preset]);
  for (const [flag, value] of Object.entries(values)) {
    if (typeof value !== 'string') continue;
    const field = configField(flag);
    if (field) entries.push([field, value]);
  }
  const { config, preset, issues } = configFromEntries(entries);

  return {
    options: {
      config,
      preset,
      ...runningOptions(values, errors),
      alignment: values.alignment === true,
      sweep: typeof values.sweep === 'string' ? values.sweep : null,
      shard: shardOption(values, errors),
      quiet: values.quiet === true,
      help: values.help === true,
    },
    issues,
    errors,
  };
}

/** --shard K/N, which needs --out (a shard's numbers are only of use merged); refusals go to `errors`. */
function shardOption(values: Record<string, string | boolean | undefined>, errors: string[]): Shard | null {
  if (typeof values.shard !== 'string') return null;
  const { shard, error } = parseShard(values.shard);
  if (error) errors.push(error);
  else if (typeof values.out !== 'string')
    errors.push(`--shard ${values.shard} needs --out FILE: a shard's result is for \`npm run merge\``);
  return shard ?? null;
}

/** Where and how to run: backend, output file, mode, kernels, workers, chunk; each refused value is named in `errors`. */
function runningOptions(
  values: Record<string, string | boolean | undefined>,
  errors: string[],
): Pick<CliOptions, 'backend' | 'out' | 'mode' | 'kernels' | 'workers' | 'chunk'> {
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
    backend: isNodeBackendRequest(backend) ? backend : 'wasm',
    out: typeof values.out === 'string' ? values.out : null,
    mode: mode as StackMode | undefined,
    kernels: kernels as CpuKernels | undefined,
    workers: count('workers'),
    chunk: count('chunk'),
  };
}
