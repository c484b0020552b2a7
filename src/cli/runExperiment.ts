/**
 * The experiment once the command line is known to be good: the backend, MNIST, the runs (in
 * worker threads or chunks), progress on stderr, the tables on stdout and the --out file. Loaded by
 * experiment.ts only after the flags and --out have been checked, since TensorFlow.js alone takes
 * a second or more to load.
 */
import { SingleBar } from 'cli-progress';
import { availableParallelism } from 'node:os';
import { loadMnistFromDirectory } from '../data/loadNode';
import { shareMnist } from './sharedMnist';
import { describeBackend, deviceLimits } from '../experiment/device/backend';
import { runJob, type Job, type JobHost, type JobSink } from '../experiment/schedule/job';
import { describePlacement } from '../experiment/schedule/placement';
import type { Phase, RunEvent } from '../experiment/events';
import type { SweepPlan, SweepPoint, SweepResult } from '../experiment/sweep/sweep';
import type { SweepEvent } from '../experiment/sweep/sweepRun';
import { threadParts } from './threadParts';
import type { CliOptions } from './args';
import { startNodeBackend } from './nodeBackend';
import { formatResultTable } from './table';
import { formatWhyTables } from './whyTable';
import { formatSweepTable } from './sweepTable';
import { formatChainTable } from './chainTable';
import { keepResult, keptMessage } from './keepResult';
import { onStop } from './stopSignals';
import { keptLine, saveSweep, sweepFile } from './sweepFile';
import { describeShard, runShardFile, shardPlan, sweepShardFile } from './shard';
import { shardIndices } from '../experiment/schedule/shards';
import { shardedRun } from '../experiment/schedule/shardedRun';

const PHASE_NAMES: Record<Phase, string> = {
  prepare: 'prepare',
  teacher: 'teacher',
  distill: 'distill',
  evaluate: 'evaluate',
  theorem: 'theorem',
};

function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function progressBar(quiet: boolean) {
  const bar = new SingleBar({
    format: '{phase} |{bar}| {percentage}% · step {step}/{steps} · {rate} steps/s · {left} left',
    barsize: 30,
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: !quiet,
    notTTYSchedule: 10_000,
  });
  return {
    start: () => !quiet && bar.start(1000, 0, { phase: 'prepare', step: 0, steps: 0, rate: '—', left: '—' }),
    show(event: RunEvent, label = '') {
      if (quiet || event.type !== 'progress') return;
      bar.update(Math.round(event.fraction * 1000), {
        phase: (label + PHASE_NAMES[event.phase]).padEnd(8),
        step: event.step,
        steps: event.totalSteps,
        rate: event.stepsPerSecond.toFixed(1),
        left: formatSeconds(event.secondsLeft),
      });
    },
    stop: () => !quiet && bar.stop(),
  };
}

/** Exit code of a run that stopped early, after saying why and what the --out file holds. */
function stopped(event: Extract<RunEvent, { type: 'failed' | 'cancelled' }>, kept = 'nothing was written'): number {
  if (event.type === 'cancelled') {
    console.error(`cancelled during ${event.phase} at step ${event.step}; ${kept}`);
    return 130;
  }
  console.error(`error during ${event.phase}: ${event.reason}; ${kept}`);
  return 1;
}

type ProgressBar = ReturnType<typeof progressBar>;

/** Stopped while MNIST loaded: no run began. */
const CANCELLED_WAITING = { type: 'cancelled', phase: 'prepare', step: 0 } as const;

/** How the command line reports a job: its events, once it may start (`ready`), and its exit code. */
interface Report {
  sink: Omit<JobSink, 'unfit'>;
  ready(): void;
  /** The job threw (the error goes on to experiment.ts, which prints it). */
  threw(): void;
  /** The exit code, once the job's end has come. */
  code: number;
}

/** The tables on stdout, the result at --out. */
function runReport(options: CliOptions, bar: ProgressBar): Report {
  const report: Report = {
    code: 1,
    ready: () => bar.start(),
    threw: () => undefined,
    sink: {
      run(event) {
        bar.show(event);
        if (event.type === 'failed' || event.type === 'cancelled') {
          bar.stop();
          report.code = stopped(event);
        } else if (event.type === 'finished') {
          bar.stop();
          console.log(formatResultTable(event.result));
          for (const extra of [formatChainTable(event.result), formatWhyTables(event.result)])
            if (extra) console.log(`\n${extra}`);
          if (!options.out) return void (report.code = 0);
          const { config, alignment, shard } = options;
          const file = shard ? runShardFile(config, alignment, shard, event.result) : event.result;
          const where = keepResult(options.out, JSON.stringify(file, null, 2));
          console.error(keptMessage(options.out, where));
          report.code = where.where === 'out' ? 0 : 1;
        }
      },
      sweep: () => undefined,
      cancelled: () => void (report.code = stopped(CANCELLED_WAITING)),
    },
  };
  return report;
}

/**
 * Each value's line, the table on stdout; the --out file rewritten after each finished value, so a
 * stop keeps what finished. A shard runs `plan`, its share of `whole`, and ends with a shard file.
 */
function sweepReport(options: CliOptions, plan: SweepPlan, bar: ProgressBar, whole = plan): Report {
  const { out } = options;
  let startedAt = performance.now();
  let began = false;
  const points: SweepPoint[] = [];
  let saved = 0;
  const seconds = () => (performance.now() - startedAt) / 1000;
  const save = () => {
    if (out && saveSweep(out, sweepFile(options.config, plan, points, seconds()))) saved = points.length;
  };
  const kept = () => keptLine(out, out ? saved : points.length, plan.values.length);
  const stoppedAt = (event: Extract<SweepEvent, { type: 'sweep-stopped' }>): number => {
    const { event: end } = event;
    if (!out || points.length === 0) return stopped(end, kept());
    const stop = { value: event.value, reason: end.type === 'cancelled' ? 'cancelled' : end.reason };
    // The finished values are the result now: kept somewhere, however the write goes.
    const where = keepResult(out, JSON.stringify(sweepFile(options.config, plan, points, seconds(), stop), null, 2));
    if (where.where !== 'out') console.error(keptMessage(out, where, `the ${points.length} finished values`));
    return stopped(end, keptLine(where.where === 'stdout' ? 'stdout' : where.path, points.length, plan.values.length));
  };
  const finished = (result: SweepResult): number => {
    console.log(formatSweepTable(result));
    if (!out) return 0;
    const { alignment, shard } = options;
    const file = shard ? sweepShardFile(whole, alignment, shard, result) : { ...result, complete: true };
    const where = keepResult(out, JSON.stringify(file, null, 2));
    console.error(keptMessage(out, where));
    return where.where === 'out' ? 0 : 1;
  };
  const report: Report = {
    code: 1,
    ready() {
      began = true;
      console.error(
        `sweep: ${plan.setting} = ${plan.values.join(', ')} (${plan.values.length} runs, one after another)`,
      );
      startedAt = performance.now();
    },
    threw() {
      if (!began) return;
      bar.stop();
      console.error(kept());
    },
    sink: {
      run: () => undefined,
      sweep(event) {
        if (event.type === 'sweep-run') {
          if (event.event.type === 'phase' && event.event.phase === 'prepare') bar.start();
          bar.show(event.event, `${event.value} `);
        } else if (event.type === 'sweep-point') {
          bar.stop();
          const c = event.point.result.conditions;
          const accuracies = `student_aux ${c.student_aux.mean.toFixed(3)}, cross_aux ${c.cross_aux.mean.toFixed(3)}`;
          console.error(`${plan.setting} = ${event.point.value}: ${accuracies}`);
          points.push(event.point);
          if (points.length < plan.values.length) save();
        } else {
          bar.stop();
          report.code = event.type === 'sweep-stopped' ? stoppedAt(event) : finished(event.result);
        }
      },
      cancelled: () => void (report.code = stopped(CANCELLED_WAITING, kept())),
    },
  };
  return report;
}

/** Runs the experiment (or the sweep `plan`), or its --shard, as `options` say; the exit code. */
export async function runExperiment(options: CliOptions, whole: SweepPlan | null): Promise<number> {
  const choice = await startNodeBackend(options.backend);
  console.error(`backend: ${describeBackend(choice)}`);
  const controller = new AbortController();
  // Every stop signal, however often it comes, and the launcher's end: cancel, so a sweep keeps what finished.
  const unhear = onStop((why) => {
    if (controller.signal.aborted) return;
    if (!why.startsWith('SIG')) console.error(`stopping: ${why}`);
    controller.abort();
  });
  const bar = progressBar(options.quiet);
  const { alignment, mode, kernels: cpuKernels, shard } = options;
  const plan = whole && shard ? shardPlan(whole, shard) : whole;
  const report = plan ? sweepReport(options, plan, bar, whole!) : runReport(options, bar);
  const job: Job = plan ? { kind: 'sweep', base: options.config, plan } : { kind: 'run', config: options.config };
  // Placed by the engine's one placement: worker threads on a multi-core CPU, else chunks here.
  const host: JobHost = {
    signal: controller.signal,
    backend: () => Promise.resolve(choice),
    limits: deviceLimits,
    // Once, in shared memory: the worker threads read this copy.
    data: () => loadMnistFromDirectory().then(shareMnist),
    cores: () => availableParallelism(),
    workers: options.workers,
    perChunk: options.chunk,
    runOptions: { alignment, mode, cpuKernels },
    startPart: (config, data) =>
      threadParts(config, data, { backend: choice.name as 'wasm' | 'cpu', mode, cpuKernels, alignment }),
    workerWord: 'thread',
    placed: (config, placement) => console.error(describePlacement(config, placement, 'worker thread')),
    ready: () => report.ready(),
  };
  // A shard of a run trains its models of the whole run; a sweep's shard is its share of the values.
  const models = shard && !plan ? shardIndices(options.config.models, shard) : null;
  if (shard) console.error(describeShard(shard, whole ? whole.values : options.config.models));
  const sharded = models ? shardedRun(options.config, models, host) : null;
  try {
    await runJob(sharded?.job ?? job, sharded?.host ?? host, {
      ...report.sink,
      // Fit before loading anything: a config that cannot hold even one model would fail mid-run.
      unfit(messages) {
        for (const message of messages) console.error(`error: ${message}`);
        report.code = 2;
      },
    });
  } catch (error) {
    report.threw();
    throw error;
  } finally {
    unhear();
  }
  return report.code;
}
