/**
 * `npm run experiment -- [flags]`: the experiment headless in Node. Progress on stderr, the
 * paper-style table on stdout, the full result as JSON with --out.
 */
import { writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import { loadMnistFromDirectory } from '../data/loadNode';
import { describeBackend, deviceLimits } from '../experiment/backend';
import { modelsPerChunk, planChunks, splitEvenly } from '../experiment/chunks';
import { runInChunks } from '../experiment/chunkedRun';
import type { ExperimentResult, Phase, RunEvent } from '../experiment/results';
import { defaultWorkerCount, runInParallel } from './parallelRun';
import { parseCli, usage } from './args';
import { startNodeBackend } from './nodeBackend';
import { formatResultTable } from './table';
import { formatWhyTables } from './whyTable';

const PHASE_NAMES: Record<Phase, string> = { prepare: 'prepare', teacher: 'teacher', distill: 'distill', evaluate: 'evaluate', theorem: 'theorem' };

function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

async function main(): Promise<number> {
  const { options, issues, errors } = parseCli(process.argv.slice(2));
  if (options.help) {
    console.log(usage());
    return 0;
  }
  if (errors.length > 0 || issues.length > 0) {
    for (const message of [...errors, ...issues.map((issue) => issue.message)]) console.error(`error: ${message}`);
    console.error('\nRun with --help for every setting and its range.');
    return 2;
  }

  const choice = await startNodeBackend(options.backend);
  const backend = describeBackend(choice);
  console.error(`backend: ${backend}`);
  const data = await loadMnistFromDirectory();
  const { config } = options;
  const { alignment } = options;
  const perChunk = options.chunk ?? modelsPerChunk(config, deviceLimits(), { alignment });
  const workers = Math.min(options.workers ?? defaultWorkerCount(choice.name, config.models), config.models);

  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const bar = new SingleBar({
    format: '{phase} |{bar}| {percentage}% · step {step}/{steps} · {rate} steps/s · {left} left',
    barsize: 30,
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: !options.quiet,
    notTTYSchedule: 10_000,
  });
  if (!options.quiet) bar.start(1000, 0, { phase: 'prepare', step: 0, steps: 0, rate: '—', left: '—' });

  let result: ExperimentResult | null = null;
  let exitCode = 1;
  const parts = splitEvenly(config.models, workers).map((part) => planChunks(part, perChunk));
  console.error(
    `${config.models} models in ${workers} worker thread${workers > 1 ? 's' : ''}, at most ${perChunk} models per chunk`,
  );
  const events: AsyncGenerator<RunEvent, void, void> =
    workers > 1
      ? runInParallel(config, parts, { backend: choice.name as 'wasm' | 'cpu', mode: options.mode, alignment, signal: controller.signal })
      : runInChunks(config, data, parts[0], { signal: controller.signal, mode: options.mode, backendLabel: backend, alignment });
  for await (const event of events) {
    if (event.type === 'progress' && !options.quiet) {
      bar.update(Math.round(event.fraction * 1000), {
        phase: PHASE_NAMES[event.phase].padEnd(8),
        step: event.step,
        steps: event.totalSteps,
        rate: event.stepsPerSecond.toFixed(1),
        left: formatSeconds(event.secondsLeft),
      });
    } else if (event.type === 'finished') {
      result = workers > 1 ? { ...event.result, backend: `${event.result.backend} × ${workers} threads` } : event.result;
      exitCode = 0;
    } else if (event.type === 'cancelled') {
      if (!options.quiet) bar.stop();
      console.error(`cancelled during ${event.phase} at step ${event.step}; nothing was written`);
      exitCode = 130;
    } else if (event.type === 'failed') {
      if (!options.quiet) bar.stop();
      console.error(`error during ${event.phase}: ${event.reason}`);
      exitCode = 1;
    }
  }
  if (!result) return exitCode;
  if (!options.quiet) {
    bar.update(1000);
    bar.stop();
  }
  console.log(formatResultTable(result));
  const why = formatWhyTables(result);
  if (why) console.log(`\n${why}`);
  if (options.out) {
    await writeFile(options.out, JSON.stringify(result, null, 2));
    console.error(`results written to ${options.out}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
