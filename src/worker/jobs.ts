/**
 * The engine worker's jobs: runs and sweeps (the job sequence of experiment/schedule/job.ts, with
 * the page's helper workers for parallel parts), one at a time; the page's 'prepare'; and warming
 * the helpers while the page sits idle.
 *
 * Every start ends with exactly one 'finished', 'failed' or 'cancelled' (for a sweep, one
 * 'sweep-finished' or 'sweep-stopped'). A new start cancels the run in progress (or replaces a
 * queued one) first. Failures are reported, never thrown at the page; a failed run that left the
 * backend unfit restarts it (BackendLifecycle.recover).
 */
import type { BackendChoice } from '../experiment/device/backend';
import type { ExperimentConfig } from '../experiment/config';
import { isRunEnd, type Phase, type RunEnd, type RunEvent } from '../experiment/events';
import { runJob, type Job, type JobHost, type JobSink, type PlacedRunner } from '../experiment/schedule/job';
import type { StartPart } from '../experiment/schedule/pool';
import type { DeviceLimits } from '../experiment/schedule/chunks';
import { PauseGate, STAGES } from '../experiment/run/pause';
import type { SweepEvent } from '../experiment/sweep/sweepRun';
import * as tf from '../experiment/tf';
import type { MnistData } from '../data/mnist';
import { describeError } from '../base/describeError';
import type { Drawing } from './drawing';
import { helperParts, pageCores, warmHelpers } from './helperParts';
import type { FromWorker } from './protocol';

/** How long a new run waits for a cancelled one to wind down before it starts anyway. */
const WIND_DOWN_MS = 5000;

const reasonOf = (error: unknown) => describeError(error) || 'unknown error';

/** What the jobs use of the worker's other modules, and (for tests) of the page. */
export interface JobsDeps {
  post: (message: FromWorker) => void;
  backend: {
    readonly current: Promise<BackendChoice> | null;
    ensure(): Promise<BackendChoice>;
    limits(): DeviceLimits;
    recover(tensorsBefore: number, failure: string): Promise<void>;
  };
  data: { readonly current: MnistData | null; ensure(trainImages?: number): Promise<MnistData> };
  drawing: Pick<Drawing, 'keep' | 'handOver'>;
  /** Cores for helper workers (pageCores), how a helper part starts (helperParts) and how helpers are warmed. */
  cores?: () => number;
  startPart?: (config: ExperimentConfig, data: MnistData, alignment: boolean) => StartPart;
  warmHelpers?: (count: number, data: MnistData) => void;
  /** Tensors held now (tf.memory().numTensors), to tell whether a failed run left some behind. */
  tensors?: () => number;
  runPlaced?: PlacedRunner;
}

interface Run {
  runId: number;
  job: Job;
  controller: AbortController;
  /** The lecturer's pause, passed on to the run's parts. */
  pause: PauseGate;
  /** The phase of the last event sent, for a 'cancelled' or 'failed' the worker makes itself. */
  phase: Phase;
  /** A sweep's value running now (its index and value), for a stop the worker makes itself. */
  sweepAt: { index: number; value: string };
}

type SweepEnd = Extract<SweepEvent, { type: 'sweep-finished' | 'sweep-stopped' }>;

export class Jobs {
  /** The latest job asked for: waiting for the previous one to stop, for data or a backend, or running. */
  private current: Run | null = null;
  /** Settles when the job executing last has ended and let go of its tensors. */
  private lastExecution: Promise<void> = Promise.resolve();
  private readonly cores: () => number;

  constructor(private readonly deps: JobsDeps) {
    this.cores = deps.cores ?? pageCores;
  }

  /**
   * Runs one at a time: a new start cancels the run before it and waits for it to end, so that
   * two runs never share the device. A start replaced while it waits ends as cancelled without running.
   */
  async start(runId: number, job: Job, stopAtStages = false): Promise<void> {
    const run: Run = {
      runId,
      job,
      controller: new AbortController(),
      pause: new PauseGate(stopAtStages ? STAGES : []),
      phase: 'prepare',
      sweepAt: { index: 0, value: '' },
    };
    this.current?.controller.abort(new Error('replaced by a new run'));
    this.current = run;
    // A run stuck on a lost GPU may never settle; do not let it block every later run.
    await Promise.race([this.lastExecution, new Promise((resolve) => setTimeout(resolve, WIND_DOWN_MS))]);
    if (this.current !== run || run.controller.signal.aborted) {
      this.sendEnd(run, { type: 'cancelled', phase: 'prepare', step: 0 });
      if (this.current === run) this.current = null;
      return;
    }
    this.lastExecution = this.execute(run).finally(() => {
      if (this.current === run) this.current = null;
      this.warmUp(); // for the next run
    });
  }

  /** Stops the job in progress (or waiting), if it is `runId`'s; any job when `runId` is absent. */
  abort(reason: Error, runId?: number): void {
    if (runId === undefined || this.current?.runId === runId) this.current?.controller.abort(reason);
  }

  /** Stops any job and waits until the last one has let go of the device (the benchmark's turn). */
  async stopAll(reason: Error): Promise<void> {
    this.abort(reason);
    await this.lastExecution;
  }

  /** The lecturer's pause of run `runId`, and its resume (also past a stage it stopped at). */
  pauseOrResume(runId: number, what: 'pause' | 'resume'): void {
    if (this.current?.runId === runId) this.current.pause[what]();
  }

  /** The page's 'prepare': download now what a run of `config` will read. */
  prepare(config: ExperimentConfig): void {
    const wanted = Number(config?.trainImages);
    if (!Number.isInteger(wanted) || wanted < 1) return;
    this.deps.data.ensure(wanted).then(
      () => this.warmUp(),
      () => undefined,
    );
  }

  /**
   * On a CPU-only machine, while no run goes: helper workers started and given their backend, the
   * CPU kernel and the data, so that a run's first curve point comes within a second of Run.
   */
  warmUp(): void {
    // Only with what is already there: a lost backend or a failed download waits for the next run (or Retry).
    const [picked, loaded] = [this.deps.backend.current, this.deps.data.current];
    if (!picked || !loaded) return;
    picked.then(
      (choice) => {
        if (choice.name === 'wasm' && this.cores() > 1 && !this.current)
          (this.deps.warmHelpers ?? warmHelpers)(this.cores(), loaded);
      },
      () => undefined,
    );
  }

  private sendRun(run: Run, event: RunEvent) {
    if ('phase' in event && event.type !== 'metrics') run.phase = event.phase;
    this.deps.drawing.handOver(run.runId, event);
    this.deps.post({ type: 'run', runId: run.runId, event });
  }

  private sendSweep(run: Run, event: SweepEvent) {
    if (event.type === 'sweep-run') {
      this.deps.drawing.handOver(run.runId, event.event);
      run.sweepAt = { index: event.index, value: event.value };
      if ('phase' in event.event && event.event.type !== 'metrics') run.phase = event.event.phase;
    }
    this.deps.post({ type: 'sweep', runId: run.runId, event });
  }

  /** A job's end that the worker makes itself (cancelled while waiting, failed before any run). */
  private sendEnd(run: Run, event: Exclude<RunEnd, { type: 'finished' }>) {
    if (run.job.kind === 'run') this.sendRun(run, event);
    else this.sendSweep(run, { type: 'sweep-stopped', ...run.sweepAt, event });
  }

  /** The job sequence on this worker: its backend and data, helper workers for parallel parts. */
  private host(run: Run, ready: () => void): JobHost {
    const { backend, data } = this.deps;
    const startPart = this.deps.startPart ?? helperParts;
    // The page always measures why the trait travels (alignment series, the one-step experiment).
    const alignment = true;
    return {
      signal: run.controller.signal,
      backend: () => backend.ensure(),
      limits: () => backend.limits(),
      data: (trainImages) => data.ensure(trainImages),
      // On a CPU-only machine, parts go to helper workers.
      cores: (choice) => (choice.name === 'wasm' ? this.cores() : 1),
      runOptions: { alignment, pause: run.pause },
      startPart: (config, loaded) => startPart(config, loaded, alignment),
      workerWord: 'worker',
      ready,
      runPlaced: this.deps.runPlaced,
    };
  }

  private async execute(run: Run): Promise<void> {
    const { signal } = run.controller;
    let ended = false;
    let failure: string | null = null;
    /** Tensors held when the job began on its backend; null before it got one. */
    let tensorsBefore: number | null = null;
    const end = (event: RunEnd | SweepEnd) => {
      ended = true;
      const last = 'event' in event ? event.event : event;
      failure = last.type === 'failed' ? last.reason : null;
      if (event.type === 'sweep-finished' || event.type === 'sweep-stopped') this.sendSweep(run, event);
      else if (event.type === 'finished') this.sendRun(run, event);
      else this.sendEnd(run, event);
    };
    const { drawing } = this.deps;
    const sink: JobSink = {
      run: (event) => {
        if (event.type === 'weights') drawing.keep(run.runId, event.weights);
        else if (isRunEnd(event)) end(event);
        else this.sendRun(run, event);
      },
      sweep: (event) => {
        if (event.type === 'sweep-run' && event.event.type === 'weights') drawing.keep(run.runId, event.event.weights);
        else if (event.type === 'sweep-finished' || event.type === 'sweep-stopped') end(event);
        else this.sendSweep(run, event);
      },
      // Fit before you run: without waiting for the download.
      unfit: (messages) => end({ type: 'failed', phase: 'prepare', reason: messages.join('; ') }),
      cancelled: () => end({ type: 'cancelled', phase: run.phase, step: 0 }),
    };
    const tensors = this.deps.tensors ?? (() => tf.memory().numTensors);
    try {
      await runJob(
        run.job,
        this.host(run, () => (tensorsBefore = tensors())),
        sink,
      );
      if (!ended) end({ type: 'failed', phase: run.phase, reason: 'the run stopped without a result' });
    } catch (error) {
      if (ended) return;
      if (signal.aborted) end({ type: 'cancelled', phase: run.phase, step: 0 });
      else end({ type: 'failed', phase: run.phase, reason: reasonOf(error) });
    } finally {
      if (failure !== null && tensorsBefore !== null && !signal.aborted)
        await this.deps.backend.recover(tensorsBefore, failure);
    }
  }
}
