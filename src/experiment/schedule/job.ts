/**
 * One job, as the page's engine worker and the command line both run it: check that every config
 * fits the backend (before any download), place each run (its chunks here, or its parts side by
 * side in the host's workers), then run it, or the sweep's runs one after another.
 *
 * What differs between the hosts comes in as a JobHost: how the backend and MNIST are got, how a
 * parallel part starts (Node worker threads, the page's helper workers) and what it is called,
 * the run options; and a JobSink, where the events go.
 */
import type { MnistData } from '../../data/mnist';
import type { ExperimentConfig } from '../config';
import { describeBackend, type BackendChoice } from '../device/backend';
import type { RunEvent } from '../events';
import type { RunOptions } from '../run';
import type { SweepPlan } from '../sweep/sweep';
import { runSweep, type SweepEvent } from '../sweep/sweepRun';
import type { DeviceLimits } from './chunks';
import { fitIssues } from './fit';
import { placeRun, type Placement } from './placement';
import type { StartPart } from './pool';
import { runPlaced, type PlacedRunOptions } from './runPlaced';

/** What a job asks for: one run, or a sweep (the experiment at each value, one after another). */
export type Job =
  { kind: 'run'; config: ExperimentConfig } | { kind: 'sweep'; base: ExperimentConfig; plan: SweepPlan };

/** The configs a job runs, in order. */
export const jobConfigs = (job: Job): readonly ExperimentConfig[] =>
  job.kind === 'run' ? [job.config] : job.plan.configs;

/** A run placed and started: runPlaced, unless a test brings a fake. */
export type PlacedRunner = (
  config: ExperimentConfig,
  data: MnistData,
  placement: Placement,
  options: PlacedRunOptions,
) => AsyncIterable<RunEvent>;

export interface JobHost {
  /** Cancels the job: while it waits for the backend or the data, and then between two steps. */
  signal: AbortSignal;
  /** The backend to run on (the page's worker picks it on first use; the command line has it already). */
  backend(): Promise<BackendChoice>;
  /** What that backend can hold, read once it is picked (device/backend.ts, deviceLimits). */
  limits(): DeviceLimits;
  /** MNIST with at least this many training images. */
  data(trainImages: number): Promise<MnistData>;
  /** Cores this host gives parallel parts on `backend` (1: none). */
  cores(backend: BackendChoice): number;
  /** Forced worker count and models per chunk (the command line's --workers, --chunk). */
  workers?: number;
  perChunk?: number;
  /** How every run goes, besides its signal and the backend's label; `alignment` is also counted by the fit. */
  runOptions: Pick<RunOptions, 'alignment' | 'mode' | 'cpuKernels' | 'pause'>;
  /** How a parallel part of a run of `config` starts on this host, and what such a worker is called. */
  startPart(config: ExperimentConfig, data: MnistData, backend: BackendChoice): StartPart;
  workerWord: string;
  /** Told where each run's models go, just before it starts. */
  placed?(config: ExperimentConfig, placement: Placement): void;
  /** Told once the backend and the data are in hand, just before the first run starts. */
  ready?(): void;
  /** The placed run: runPlaced unless given. */
  runPlaced?: PlacedRunner;
}

/** Where a job's events go: exactly one of its ends (a run's or a sweep's), `unfit` or `cancelled`. */
export interface JobSink {
  /** Every event of a run job, in order, through its end. */
  run(event: RunEvent): void;
  /** Every event of a sweep job, in order, through 'sweep-finished' or 'sweep-stopped'. */
  sweep(event: SweepEvent): void;
  /** Refused before any download: why the job's configs cannot hold even one model (each reason once). */
  unfit(messages: string[]): void;
  /** Cancelled while it waited for the backend or the data: no run began. */
  cancelled(): void;
}

const ABORTED = Symbol('aborted');

/** Settles (never rejects) once `signal` aborts, so that a wait can be given up. */
function whenAborted(signal: AbortSignal): Promise<typeof ABORTED> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
  });
}

/** Every distinct reason one of `configs` cannot hold even one model within `limits`. */
export function unfitMessages(
  configs: readonly ExperimentConfig[],
  limits: DeviceLimits,
  alignment: boolean,
): string[] {
  const messages = configs.flatMap((config) => fitIssues(config, limits, { alignment }).map((issue) => issue.message));
  return [...new Set(messages)];
}

/** One run of `config` as `host` places and starts it. */
function placedRun(
  config: ExperimentConfig,
  data: MnistData,
  backend: BackendChoice,
  host: JobHost,
): AsyncIterable<RunEvent> {
  const placement = placeRun({
    config,
    backend: backend.name,
    limits: host.limits(),
    alignment: host.runOptions.alignment ?? false,
    cores: host.cores(backend),
    workers: host.workers,
    perChunk: host.perChunk,
  });
  host.placed?.(config, placement);
  return (host.runPlaced ?? runPlaced)(config, data, placement, {
    ...host.runOptions,
    signal: host.signal,
    backendLabel: describeBackend(backend),
    workerWord: host.workerWord,
    startPart: host.startPart(config, data, backend),
  });
}

/**
 * Runs `job` on `host`, sending every event to `sink`. Fit before you run: a config that cannot
 * hold even one model is refused before the download, not mid-run. A failure to get the backend
 * or the data, or a run that throws, rejects (the host knows how to say so).
 */
export async function runJob(job: Job, host: JobHost, sink: JobSink): Promise<void> {
  const aborted = whenAborted(host.signal);
  const picked = await Promise.race([host.backend(), aborted]);
  if (picked === ABORTED) return sink.cancelled();
  const configs = jobConfigs(job);
  const unfit = unfitMessages(configs, host.limits(), host.runOptions.alignment ?? false);
  if (unfit.length > 0) return sink.unfit(unfit);
  const trainImages = Math.max(...configs.map((config) => config.trainImages));
  const loaded = await Promise.race([Promise.all([host.data(trainImages), host.backend()]), aborted]);
  if (loaded === ABORTED || host.signal.aborted) return sink.cancelled();
  const [data, backend] = loaded;
  host.ready?.();
  const runOne = (config: ExperimentConfig) => placedRun(config, data, backend, host);
  if (job.kind === 'run') for await (const event of runOne(job.config)) sink.run(event);
  else for await (const event of runSweep(job.base, job.plan, runOne)) sink.sweep(event);
}
