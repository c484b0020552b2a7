/**
 * The experiment once the command line is known to be good: the backend, MNIST, the runs (in
 * worker threads or chunks), progress on stderr, the tables on stdout and the --out file. Loaded by
 * experiment.ts only after the flags and --out have been checked, since TensorFlow.js alone takes
 * a second or more to load.
 */
import { SingleBar } from 'cli-progress';
import { loadMnistFromDirectory } from '../data/loadNode';
import type { MnistData } from '../data/mnist';
import { describeBackend, deviceLimits, type BackendChoice } from '../experiment/device/backend';
import { availableParallelism } from 'node:os';
import { fitIssues } from '../experiment/schedule/fit';
import { describePlacement, placeRun } from '../experiment/schedule/placement';
import { runPlaced } from '../experiment/schedule/runPlaced';
import type { ExperimentConfig } from '../experiment/config';
import type { Phase, RunEvent } from '../experiment/events';
import type { SweepPlan, SweepPoint } from '../experiment/sweep/sweep';
import { runSweep } from '../experiment/sweep/sweepRun';
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

/** One experiment as events, placed by the engine's one placement: worker threads on a multi-core CPU, else chunks here. */
function runner(options: CliOptions, choice: BackendChoice, data: MnistData, signal: AbortSignal) {
  return (config: ExperimentConfig): AsyncGenerator<RunEvent, void, void> => {
    const { alignment, mode } = options;
    const cpuKernels = options.kernels;
    const placement = placeRun({
      config,
      backend: choice.name,
      limits: deviceLimits(),
      alignment,
      cores: availableParallelism(),
      workers: options.workers,
      perChunk: options.chunk,
    });
    console.error(describePlacement(config, placement, 'worker thread'));
    return runPlaced(config, data, placement, {
      signal,
      mode,
      cpuKernels,
      alignment,
      backendLabel: describeBackend(choice),
      workerWord: 'thread',
      startPart: threadParts(config, { backend: choice.name as 'wasm' | 'cpu', mode, cpuKernels, alignment }),
    });
  };
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

/** Runs the experiment (or the sweep `plan`) as `options` say; the exit code. */
export async function runExperiment(options: CliOptions, plan: SweepPlan | null): Promise<number> {
  const choice = await startNodeBackend(options.backend);
  console.error(`backend: ${describeBackend(choice)}`);
  // Fit before loading anything: a config that cannot hold even one model would fail mid-run.
  const limits = deviceLimits();
  const unfit = new Set(
    (plan?.configs ?? [options.config]).flatMap((config) =>
      fitIssues(config, limits, { alignment: options.alignment }).map((issue) => issue.message),
    ),
  );
  if (unfit.size > 0) {
    for (const message of unfit) console.error(`error: ${message}`);
    return 2;
  }
  const data = await loadMnistFromDirectory();
  const controller = new AbortController();
  // Every stop signal, however often it comes, and the launcher's end: cancel, so a sweep keeps what finished.
  onStop((why) => {
    if (controller.signal.aborted) return;
    if (!why.startsWith('SIG')) console.error(`stopping: ${why}`);
    controller.abort();
  });
  const runOne = runner(options, choice, data, controller.signal);
  const bar = progressBar(options.quiet);

  if (plan) {
    console.error(`sweep: ${plan.setting} = ${plan.values.join(', ')} (${plan.values.length} runs, one after another)`);
    // The file is rewritten after each finished value, so a stop keeps what finished.
    const { out } = options;
    const startedAt = performance.now();
    const points: SweepPoint[] = [];
    let saved = 0;
    const save = (stop?: { value: string; reason: string }) => {
      if (out && saveSweep(out, sweepFile(options.config, plan, points, (performance.now() - startedAt) / 1000, stop)))
        saved = points.length;
    };
    const kept = () => keptLine(out, out ? saved : points.length, plan.values.length);
    try {
      for await (const event of runSweep(options.config, plan, runOne)) {
        if (event.type === 'sweep-run') {
          if (event.event.type === 'phase' && event.event.phase === 'prepare') bar.start();
          bar.show(event.event, `${event.value} `);
        } else if (event.type === 'sweep-point') {
          bar.stop();
          const c = event.point.result.conditions;
          console.error(
            `${plan.setting} = ${event.point.value}: student_aux ${c.student_aux.mean.toFixed(3)}, cross_aux ${c.cross_aux.mean.toFixed(3)}`,
          );
          points.push(event.point);
          if (points.length < plan.values.length) save();
        } else if (event.type === 'sweep-stopped') {
          bar.stop();
          const { event: end } = event;
          if (!out || points.length === 0) return stopped(end, kept());
          const stop = { value: event.value, reason: end.type === 'cancelled' ? 'cancelled' : end.reason };
          const file = sweepFile(options.config, plan, points, (performance.now() - startedAt) / 1000, stop);
          // The finished values are the result now: kept somewhere, however the write goes.
          const where = keepResult(out, JSON.stringify(file, null, 2));
          if (where.where !== 'out') console.error(keptMessage(out, where, `the ${points.length} finished values`));
          return stopped(
            end,
            keptLine(where.where === 'stdout' ? 'stdout' : where.path, points.length, plan.values.length),
          );
        } else {
          console.log(formatSweepTable(event.result));
          if (!out) return 0;
          const where = keepResult(out, JSON.stringify({ ...event.result, complete: true }, null, 2));
          console.error(keptMessage(out, where));
          return where.where === 'out' ? 0 : 1;
        }
      }
    } catch (error) {
      bar.stop();
      console.error(kept());
      throw error;
    }
    return 1;
  }

  bar.start();
  for await (const event of runOne(options.config)) {
    bar.show(event);
    if (event.type === 'failed' || event.type === 'cancelled') {
      bar.stop();
      return stopped(event);
    }
    if (event.type === 'finished') {
      bar.stop();
      console.log(formatResultTable(event.result));
      for (const extra of [formatChainTable(event.result), formatWhyTables(event.result)])
        if (extra) console.log(`\n${extra}`);
      if (!options.out) return 0;
      const where = keepResult(options.out, JSON.stringify(event.result, null, 2));
      console.error(keptMessage(options.out, where));
      return where.where === 'out' ? 0 : 1;
    }
  }
  return 1;
}
