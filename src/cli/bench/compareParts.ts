/**
 * Pure parts of `npm run bench:compare` (src/cli/bench/compare.ts): which flags are its own and which go
 * to the experiment, reading /usr/bin/time's figures, and the side-by-side table.
 */
import { CONDITIONS, type ConditionName } from '../../experiment/results';

/** One implementation's run, as the table needs it. */
export interface RunFigures {
  label: string;
  /** Wall seconds of the whole process, start-up and data loading included. */
  wallSeconds: number;
  /** Seconds the run itself reports (training and evaluation), null when unknown. */
  runSeconds: number | null;
  /** Peak resident memory of the process tree, null when it could not be measured. */
  peakRssBytes: number | null;
  conditions: Partial<
    Record<ConditionName, { mean: number; ci95: number | null; sd: number | null; accuracies: number[] }>
  >;
}

export interface CompareArgs {
  /** Flags for the experiment CLI (a preset first, `quick` unless one is given). */
  experiment: string[];
  python: string | null;
  /**
   * PyTorch's thread counts, one baseline run each. Default 1 and 2: on a 2-vCPU machine OpenMP's
   * spin-waiting makes 2 threads several times slower than 1 whenever anything else runs (docs/performance.md).
   */
  threads: number[];
  /** Where to write the comparison as JSON. */
  out: string | null;
  /**
   * How ours runs: 'bundle' (default) is the command line compiled to JavaScript, as
   * `npm run bundle` ships it and as the page runs; 'npm' is `npm run experiment`, whose main
   * thread loads the TypeScript sources through tsx (its workers run compiled code).
   */
  ours: 'bundle' | 'npm';
  help: boolean;
}

/**
 * Splits the command line: --python, --threads, --out, --ours and --help are the comparison's; everything
 * else is the experiment's (every config flag, --backend, --workers, …), checked by its own parser.
 */
export function splitCompareArgs(argv: readonly string[]): CompareArgs {
  const own = new Set(['--python', '--threads', '--out', '--ours']);
  const experiment: string[] = [];
  const args: CompareArgs = { experiment, python: null, threads: [1, 2], out: null, ours: 'bundle', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (own.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      if (flag === '--python') args.python = value;
      else if (flag === '--out') args.out = value;
      else if (flag === '--ours') {
        if (value !== 'bundle' && value !== 'npm') throw new Error(`--ours ${value}: bundle or npm`);
        args.ours = value;
      } else {
        const threads = value.split(',').map(Number);
        if (!threads.every((n) => Number.isInteger(n) && n >= 1 && n <= 256)) {
          throw new Error(`--threads ${value}: whole numbers from 1 to 256, separated by commas`);
        }
        args.threads = [...new Set(threads)];
      }
    } else experiment.push(arg);
  }
  if (!experiment.some((arg) => arg === '--preset' || arg.startsWith('--preset=')))
    experiment.unshift('--preset', 'quick');
  return args;
}

/** `/usr/bin/time -f '%M %e'` output: peak RSS in KiB and elapsed seconds (its last line). */
export function parseTimeOutput(text: string): { peakRssBytes: number; seconds: number } | null {
  const line = text.trim().split('\n').pop() ?? '';
  const match = /^(\d+) (\d+(?:\.\d+)?)$/.exec(line.trim());
  return match ? { peakRssBytes: Number(match[1]) * 1024, seconds: Number(match[2]) } : null;
}

const LABELS: Record<ConditionName, string> = {
  reference: 'reference (untrained)',
  teacher: 'teacher',
  student_aux: 'same init, aux only',
  student_all: 'same init, all logits',
  cross_aux: 'different init, aux only',
  cross_all: 'different init, all logits',
};

const seconds = (s: number | null) => (s === null ? '—' : `${s.toFixed(1)} s`);
const megabytes = (b: number | null) => (b === null ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const accuracy = (c: RunFigures['conditions'][ConditionName]) =>
  c === undefined ? '—' : `${c.mean.toFixed(3)} ± ${c.ci95 === null ? '—' : c.ci95.toFixed(3)}`;

/** ours / theirs, or null when either is missing or zero. */
export function ratio(ours: number | null, theirs: number | null): number | null {
  return ours === null || theirs === null || theirs === 0 ? null : ours / theirs;
}

/** The PyTorch run to hold ours against: the fastest (by wall time). */
export function fastest(runs: readonly RunFigures[]): RunFigures | null {
  return runs.length === 0 ? null : runs.reduce((best, run) => (run.wallSeconds < best.wallSeconds ? run : best));
}

/**
 * The side-by-side table: ours, each PyTorch run, and ours against the fastest PyTorch run (times
 * and memory as a ratio, accuracies as a difference). With no PyTorch run, ours alone and `why`.
 */
export function formatComparison(ours: RunFigures, theirs: readonly RunFigures[], why?: string): string {
  const best = fastest(theirs);
  const columns = [ours, ...theirs];
  const last = (cell: () => string) => (best ? [cell()] : []);
  const rows: string[][] = [
    [
      '',
      ...columns.map((c) => c.label),
      ...last(() => (theirs.length > 1 ? 'ours / fastest PyTorch' : 'ours / PyTorch')),
    ],
    [
      'wall time (process)',
      ...columns.map((c) => seconds(c.wallSeconds)),
      ...last(() => times(ratio(ours.wallSeconds, best!.wallSeconds))),
    ],
    [
      'run time (reported)',
      ...columns.map((c) => seconds(c.runSeconds)),
      ...last(() => times(ratio(ours.runSeconds, best!.runSeconds))),
    ],
    [
      'peak memory (RSS)',
      ...columns.map((c) => megabytes(c.peakRssBytes)),
      ...last(() => times(ratio(ours.peakRssBytes, best!.peakRssBytes))),
    ],
    ...CONDITIONS.map((name) => [
      `${LABELS[name]} (mean ± 95%)`,
      ...columns.map((c) => accuracy(c.conditions[name])),
      ...last(() => difference(ours, best!, name)),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  if (why) lines.push('', why);
  if (best) {
    lines.push(
      '',
      `Last column: against ${best.label}; the ratio for times and memory, ours − PyTorch for accuracies. ±95% = 1.96·sd/√n over the models.`,
    );
  }
  return lines.join('\n');
}

function times(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}×`;
}

function difference(ours: RunFigures, theirs: RunFigures, name: ConditionName): string {
  const [a, b] = [ours.conditions[name], theirs.conditions[name]];
  if (!a || !b) return '—';
  const d = a.mean - b.mean;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(3)}`;
}

/**
 * PyTorch at its best on these machines: OpenBLAS left to pick its kernel for the processor (a
 * machine may set OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE, which slow it), and OpenMP's threads
 * waiting passively instead of spinning (spinning makes 2 threads slower than 1 when anything
 * else runs). For the PyTorch runs only; ours keep the environment as it is.
 */
export function pytorchEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _coretype, OPENBLAS_L2_SIZE: _l2, ...rest } = env;
  return { ...rest, OMP_WAIT_POLICY: 'PASSIVE' };
}
