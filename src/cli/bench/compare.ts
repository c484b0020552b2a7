/**
 * `npm run bench:compare -- [--preset quick] [experiment flags…] [--python PATH] [--threads 1,2] [--ours bundle|npm] [--out FILE]`:
 * our command-line experiment (compiled by `npm run bundle` first, untimed; --ours npm: as `npm run
 * experiment` runs it) and a plain PyTorch implementation of the same recipe
 * (bench/pytorch_baseline.py) on the same config, one after the other (PyTorch once per thread
 * count), and a table of the wall times, peak memories, accuracies and the ratio of ours to the
 * fastest PyTorch run. Not part of `npm test`.
 * Peak memory is /usr/bin/time's (max RSS over the process tree; worker threads are in-process).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli, usage } from '../args';
import { defaultMnistDirectory } from '../../data/loadNode';
import { describeError } from '../../base/describeError';
import type { ExperimentConfig } from '../../experiment/config';
import type { ExperimentResult } from '../../experiment/results';
import {
  formatComparison,
  parseTimeOutput,
  pytorchEnv,
  splitCompareArgs,
  type CompareArgs,
  type RunFigures,
} from './compareParts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TIME = '/usr/bin/time';
const NO_TORCH =
  'PyTorch not found: install python3-torch (Debian: apt-get install python3-torch libopenblas0-pthread) and rerun; --python names another interpreter.';

interface Finished {
  code: number;
  wallSeconds: number;
  peakRssBytes: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time (when there is one) for its peak memory; stderr goes on showing. */
function timed(
  command: string,
  args: string[],
  dir: string,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Finished> {
  const timeFile = join(dir, `${name}.time`);
  const [file, argv] = existsSync(TIME) ? [TIME, ['-f', '%M %e', '-o', timeFile, command, ...args]] : [command, args];
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(file, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const time = existsSync(timeFile) ? parseTimeOutput(readFileSync(timeFile, 'utf8')) : null;
      done({ code: code ?? 1, wallSeconds, peakRssBytes: time?.peakRssBytes ?? null, stdout, stderr });
    });
  });
}

function pythonPath(requested: string | null): string {
  if (requested) return requested;
  if (process.env.PYTHON) return process.env.PYTHON;
  // Debian's python3-torch lives with the system interpreter, not with a pyenv one first on PATH.
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** One run of bench/pytorch_baseline.py at `threads` threads: its figures, or why there are none. */
async function baseline(
  python: string,
  configFile: string,
  threads: number,
  dir: string,
): Promise<RunFigures | { why: string }> {
  console.error(`PyTorch: ${python} bench/pytorch_baseline.py --threads ${threads}`);
  const script = join(root, 'bench/pytorch_baseline.py');
  const argv = [script, configFile, '--threads', String(threads), '--mnist', defaultMnistDirectory()];
  const run = await timed(python, argv, dir, `pytorch-${threads}`, pytorchEnv(process.env)).catch(
    (error: NodeJS.ErrnoException) => ({
      code: error.code === 'ENOENT' ? 2 : 1,
      wallSeconds: 0,
      peakRssBytes: null,
      stdout: '',
      stderr: String(error),
    }),
  );
  if (run.code === 0) {
    const result = JSON.parse(run.stdout) as { seconds: number; threads: number; conditions: RunFigures['conditions'] };
    return {
      label: `PyTorch (${result.threads} thread${result.threads === 1 ? '' : 's'})`,
      wallSeconds: run.wallSeconds,
      runSeconds: result.seconds,
      peakRssBytes: run.peakRssBytes,
      conditions: result.conditions,
    };
  }
  if (run.code === 2) return { why: NO_TORCH };
  // 127: /usr/bin/time could not start the interpreter.
  if (run.code === 127) return { why: `${python} not found. ${NO_TORCH}` };
  if (run.code === 3)
    return { why: 'PyTorch baseline: this config is not in the baseline (mitigation, chains); our figures only.' };
  return { why: `PyTorch baseline failed (exit ${run.code}); our figures only.` };
}

/**
 * The command line: the comparison's flags and the experiment's config, or the exit code once the
 * help or the errors are printed.
 */
function readCommandLine(argv: string[]): { args: CompareArgs; config: ExperimentConfig } | number {
  let args;
  try {
    args = splitCompareArgs(argv);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  if (args.help) {
    console.log(
      'Usage: npm run bench:compare -- [experiment flags, --preset quick by default] [--python PATH] [--threads 1,2] [--ours bundle|npm] [--out FILE]\n',
    );
    console.log('Runs ours and bench/pytorch_baseline.py on the same config and prints both. Experiment flags:\n');
    console.log(usage());
    return 0;
  }
  const { options, issues, errors } = parseCli(args.experiment);
  const problems = [...errors, ...issues.map((issue) => issue.message)];
  if (options.sweep !== null) problems.push('--sweep is not compared: give one config');
  if (problems.length > 0) {
    for (const message of problems) console.error(`error: ${message}`);
    return 2;
  }
  return { args, config: options.config };
}

/** The command line as `npm run bundle` makes it, in `dir`/bundle: its entry point (not timed). */
async function bundleOurs(dir: string): Promise<string | null> {
  const out = join(dir, 'bundle');
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const built = await timed(process.execPath, [tsx, 'scripts/bundle.ts', '--out', out], dir, 'bundle');
  return built.code === 0 ? join(out, 'subliminal.mjs') : null;
}

/** Our command-line experiment with these flags (quiet, its result to a file): its figures, or null when it failed. */
async function runOurs(experiment: string[], dir: string, via: CompareArgs['ours']): Promise<RunFigures | null> {
  const entry = via === 'bundle' ? await bundleOurs(dir) : createRequire(import.meta.url).resolve('tsx/cli');
  if (entry === null) {
    console.error('error: npm run bundle failed');
    return null;
  }
  const script = via === 'bundle' ? [entry] : [entry, 'src/cli/experiment.ts'];
  console.error(
    `ours: ${via === 'bundle' ? 'node subliminal.mjs (npm run bundle)' : 'npm run experiment --'} ${experiment.join(' ')}`,
  );
  const oursOut = join(dir, 'ours.json');
  const ours = await timed(process.execPath, [...script, ...experiment, '--quiet', '--out', oursOut], dir, 'ours');
  if (ours.code !== 0 || !existsSync(oursOut)) {
    console.error(`error: our experiment failed (exit ${ours.code})`);
    return null;
  }
  const result = JSON.parse(readFileSync(oursOut, 'utf8')) as ExperimentResult;
  return {
    label: `ours (${result.backend.split(' ')[0]}, ${via})`,
    wallSeconds: ours.wallSeconds,
    runSeconds: result.seconds,
    peakRssBytes: ours.peakRssBytes,
    conditions: result.conditions,
  };
}

/**
 * The PyTorch baseline once per thread count, in order; the first run that gives no figures stops
 * the rest, and its reason comes back as `why`.
 */
async function runPyTorch(
  python: string,
  configFile: string,
  threadCounts: readonly number[],
  dir: string,
): Promise<{ theirs: RunFigures[]; why: string | undefined }> {
  const theirs: RunFigures[] = [];
  for (const threads of threadCounts) {
    const run = await baseline(python, configFile, threads, dir);
    if ('why' in run) return { theirs, why: run.why };
    theirs.push(run);
  }
  return { theirs, why: undefined };
}

/** The config, the side-by-side table, and how busy the machine was (`load`, before the runs). */
function printComparison(
  experiment: string[],
  config: ExperimentConfig,
  comparison: { ours: RunFigures; theirs: RunFigures[]; why: string | undefined },
  load: number,
): void {
  console.log(
    `config: ${experiment.join(' ')} (${config.models} models, MLP 784-${config.hidden.join('-')}-${10 + config.auxLogits})`,
  );
  console.log(formatComparison(comparison.ours, comparison.theirs, comparison.why));
  console.log(
    `machine: ${availableParallelism()} cores, 1-minute load average ${load.toFixed(1)} before the runs` +
      (load > availableParallelism() * 0.5
        ? ' (busy: other processes take a share of the cores, so the times are not clean)'
        : ''),
  );
}

async function main(): Promise<number> {
  const commandLine = readCommandLine(process.argv.slice(2));
  if (typeof commandLine === 'number') return commandLine;
  const { args, config } = commandLine;
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  try {
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));

    // Other processes on the machine slow both runs (OpenMP's spinning threads far more than ours):
    // the load says whether the figures can be trusted.
    const load = loadavg()[0];
    const ours = await runOurs(args.experiment, dir, args.ours);
    if (ours === null) return 1;
    const { theirs, why } = await runPyTorch(pythonPath(args.python), configFile, args.threads, dir);

    printComparison(args.experiment, config, { ours, theirs, why }, load);
    if (args.out)
      writeFileSync(
        args.out,
        JSON.stringify({ config, ours, pytorch: theirs, loadAverage: load, note: why ?? null }, null, 2),
      );
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${describeError(error)}`);
    process.exit(1);
  },
);
