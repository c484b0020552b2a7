/**
 * The one job sequence (fit → place → run or sweep) with fakes for everything a host brings: the
 * backend, MNIST, the placed run or the parts it starts. Nothing trains here.
 */
import { describe, expect, it } from 'vitest';
import type { MnistData } from '../../../src/data/mnist';
import { preset, type ExperimentConfig } from '../../../src/experiment/config';
import type { BackendChoice } from '../../../src/experiment/device/backend';
import type { RunEvent } from '../../../src/experiment/events';
import { CONDITIONS, type ExperimentResult } from '../../../src/experiment/results';
import { estimateMemory, WASM_LIMITS, type DeviceLimits } from '../../../src/experiment/schedule/chunks';
import { runJob, type Job, type JobHost, type JobSink, type PlacedRunner } from '../../../src/experiment/schedule/job';
import type { StartPart } from '../../../src/experiment/schedule/pool';
import { PauseGate } from '../../../src/experiment/run/pause';
import { planSweep, type SweepPlan } from '../../../src/experiment/sweep/sweep';

const config: ExperimentConfig = { ...preset('tiny'), models: 4 };
const WASM: BackendChoice = { name: 'wasm', adapter: null, fallbacks: [] };
/** A stand-in for MNIST: the fakes never read it, they only pass it on. */
const DATA = { train: { count: 60_000 } } as unknown as MnistData;

function resultOf(cfg: ExperimentConfig, models: number[]): ExperimentResult {
  const accuracies = models.map((model) => 0.5 + model / 100);
  return {
    config: cfg,
    backend: 'fake',
    seconds: 1,
    conditions: Object.fromEntries(
      CONDITIONS.map((name) => [name, { accuracies, mean: 0.5, sd: null, ci95: null }]),
    ) as ExperimentResult['conditions'],
    curves: { teacher: [], distill: [] },
    crossSources: models,
  };
}

const allModels = (cfg: ExperimentConfig) => Array.from({ length: cfg.models }, (_, i) => i);

/** A placed run's events: prepare, one progress, the result. */
const script = (cfg: ExperimentConfig): RunEvent[] => [
  { type: 'phase', phase: 'prepare', message: 'Preparing', totalSteps: 0 },
  { type: 'progress', phase: 'teacher', step: 1, totalSteps: 2, stepsPerSecond: 1, fraction: 0.5, secondsLeft: 1 },
  { type: 'finished', result: resultOf(cfg, allModels(cfg)) },
];

/** Records every call the sequence makes to its host and sink, in order. */
function recorder(overrides: Partial<JobHost> = {}) {
  const log: string[] = [];
  const runEvents: RunEvent[] = [];
  const sweepEvents: unknown[] = [];
  const calls: { config: ExperimentConfig; parts: number[][][]; options: Parameters<PlacedRunner>[3] }[] = [];
  const controller = new AbortController();
  const fakeRun: PlacedRunner = async function* (cfg, _data, placement, options) {
    calls.push({ config: cfg, parts: placement.parts, options });
    log.push(`run ${cfg.trainImages}`);
    yield* script(cfg);
  };
  const host: JobHost = {
    signal: controller.signal,
    backend: async () => (log.push('backend'), WASM),
    limits: () => (log.push('limits'), WASM_LIMITS),
    data: async (trainImages) => (log.push(`data ${trainImages}`), DATA),
    cores: () => 2,
    runOptions: { alignment: true, pause: new PauseGate() },
    startPart: () => () => {
      throw new Error('no parts in this test');
    },
    workerWord: 'worker',
    placed: (cfg, placement) => log.push(`placed ${cfg.trainImages}: ${placement.parts.length} parts`),
    ready: () => log.push('ready'),
    runPlaced: fakeRun,
    ...overrides,
  };
  const sink: JobSink = {
    run: (event) => (log.push(`run-event ${event.type}`), runEvents.push(event)),
    sweep: (event) => (log.push(`sweep-event ${event.type}`), sweepEvents.push(event)),
    unfit: (messages) => log.push(`unfit ${JSON.stringify(messages)}`),
    cancelled: () => log.push('cancelled'),
  };
  return { log, runEvents, sweepEvents, calls, controller, host, sink };
}

function twoValueSweep(): SweepPlan {
  const { plan } = planSweep(config, 'm=1,2');
  // Values that read different amounts of MNIST: the data is fetched once, for the larger.
  return {
    ...plan!,
    configs: [
      { ...plan!.configs[0], trainImages: 500 },
      { ...plan!.configs[1], trainImages: 1500 },
    ],
  };
}

describe('the job sequence', () => {
  it('a run: backend, fit, data and backend again, then placed and run, every event to the sink in order', async () => {
    const { log, runEvents, calls, host, sink } = recorder();
    await runJob({ kind: 'run', config }, host, sink);
    expect(log).toEqual([
      'backend',
      'limits',
      `data ${config.trainImages}`,
      'backend',
      'ready',
      'limits',
      `placed ${config.trainImages}: 2 parts`,
      `run ${config.trainImages}`,
      'run-event phase',
      'run-event progress',
      'run-event finished',
    ]);
    expect(runEvents).toEqual(script(config));
    // Placed by the one placement (4 models over 2 cores), with the host's options and label.
    expect(calls[0].parts).toEqual([[[0, 1]], [[2, 3]]]);
    expect(calls[0].options).toMatchObject({
      signal: host.signal,
      alignment: true,
      pause: host.runOptions.pause,
      backendLabel: 'wasm',
      workerWord: 'worker',
    });
  });

  it("honours the host's forced workers and chunk size, and one core means one part", async () => {
    const forced = recorder({ workers: 1, perChunk: 1 });
    await runJob({ kind: 'run', config }, forced.host, forced.sink);
    expect(forced.calls[0].parts).toEqual([[[0], [1], [2], [3]]]);
    const oneCore = recorder({ cores: () => 1 });
    await runJob({ kind: 'run', config }, oneCore.host, oneCore.sink);
    expect(oneCore.calls[0].parts).toEqual([[[0, 1, 2, 3]]]);
  });

  it('a sweep: the data for its largest value once, each value placed and run in turn, sweep events only', async () => {
    const { log, sweepEvents, runEvents, host, sink } = recorder();
    const plan = twoValueSweep();
    await runJob({ kind: 'sweep', base: config, plan }, host, sink);
    expect(log.filter((line) => !line.startsWith('sweep-event'))).toEqual([
      'backend',
      'limits',
      'data 1500',
      'backend',
      'ready',
      'limits',
      'placed 500: 2 parts',
      'run 500',
      'limits',
      'placed 1500: 2 parts',
      'run 1500',
    ]);
    expect(runEvents).toEqual([]);
    const types = sweepEvents.map((event) => (event as { type: string }).type);
    expect(types).toEqual([
      ...Array(2).fill(['sweep-run', 'sweep-run', 'sweep-run', 'sweep-point']).flat(),
      'sweep-finished',
    ]);
    const finished = sweepEvents.at(-1) as { result: { values: string[]; points: { value: string }[] } };
    expect(finished.result.points.map((point) => point.value)).toEqual(plan.values);
  });
});

describe('the job sequence checks the fit first', () => {
  it('refuses a config that cannot hold one model before any download, each reason once', async () => {
    const tight: DeviceLimits = { ...WASM_LIMITS, capacityBytes: 1000, hardBufferBytes: 100 };
    const { log, host, sink } = recorder({ limits: () => tight });
    const plan = { ...twoValueSweep(), configs: [config, { ...config, seed: 2 }] };
    await runJob({ kind: 'sweep', base: config, plan }, host, sink);
    expect(log).toHaveLength(2);
    expect(log[0]).toBe('backend');
    const messages: string[] = JSON.parse(log[1].replace(/^unfit /, ''));
    // Two configs of one size: the buffer and the capacity reason, each once.
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('largest buffer');
    expect(messages[1]).toContain('can hold');
    for (const message of messages) expect(message).toContain(`hidden = ${config.hidden.join(',')}`);
  });

  it('counts the alignment probes in the fit only when the run measures them', async () => {
    const need = (alignment: boolean) => {
      const estimate = estimateMemory(config, { alignment });
      return estimate.fixedBytes + estimate.perModelBytes;
    };
    expect(need(true)).toBeGreaterThan(need(false));
    // Room for one model without the probes: only the run that measures them is refused.
    const limits: DeviceLimits = { ...WASM_LIMITS, capacityBytes: need(false), allocatorSlack: 1 };
    const refused = async (alignment: boolean) => {
      const { log, host, sink } = recorder({ limits: () => limits, runOptions: { alignment } });
      await runJob({ kind: 'run', config }, host, sink);
      return log.some((line) => line.startsWith('unfit'));
    };
    expect(await refused(true)).toBe(true);
    expect(await refused(false)).toBe(false);
  });

  it('places by the same measure: alignment probes take room in a chunk', async () => {
    const plain = estimateMemory(config, { alignment: false });
    // Room for two models a chunk without the probes.
    const limits: DeviceLimits = {
      ...WASM_LIMITS,
      maxBufferBytes: 1e15,
      memoryBytes: plain.fixedBytes + 2 * plain.perModelBytes,
    };
    const chunksWith = async (alignment: boolean) => {
      const { calls, host, sink } = recorder({ limits: () => limits, cores: () => 1, runOptions: { alignment } });
      await runJob({ kind: 'run', config }, host, sink);
      return calls[0].parts;
    };
    expect(await chunksWith(false)).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
    ]);
    expect(await chunksWith(true)).toEqual([[[0], [1], [2], [3]]]);
  });
});

describe('the job sequence cancelled or failing while it waits', () => {
  it('cancelled while waiting for the backend: cancelled, nothing else asked for', async () => {
    let pick: (choice: BackendChoice) => void = () => undefined;
    const { log, controller, host, sink } = recorder({ backend: () => new Promise((resolve) => (pick = resolve)) });
    const job = runJob({ kind: 'run', config }, host, sink);
    controller.abort();
    await job;
    pick(WASM);
    expect(log).toEqual(['cancelled']);
  });

  it('cancelled while waiting for the data: cancelled, no run started', async () => {
    const { log, controller, host, sink } = recorder({
      data: () => {
        log.push('data');
        controller.abort();
        return new Promise(() => undefined);
      },
    });
    await runJob({ kind: 'run', config }, host, sink);
    expect(log).toEqual(['backend', 'limits', 'data', 'backend', 'cancelled']);
  });

  it('a backend or a download that fails rejects, and the sink hears nothing', async () => {
    const noBackend = recorder({ backend: () => Promise.reject(new Error('no backend at all')) });
    await expect(runJob({ kind: 'run', config }, noBackend.host, noBackend.sink)).rejects.toThrow('no backend at all');
    expect(noBackend.log).toEqual([]);
    const noData = recorder({ data: () => Promise.reject(new Error('MNIST could not be loaded')) });
    await expect(runJob({ kind: 'run', config }, noData.host, noData.sink)).rejects.toThrow(
      'MNIST could not be loaded',
    );
    expect(noData.log).toEqual(['backend', 'limits', 'backend']);
  });
});

/**
 * Fake parts in the real pool (runPlaced → runParts): each reports a progress and its share's
 * result a macrotask later, or 'cancelled' once cancelled.
 */
function fakeParts(log: string[], waitForCancel = false): StartPart {
  return (part, chunks, report) => {
    log.push(`start ${part}: ${JSON.stringify(chunks)}`);
    let cancelled = false;
    const models = chunks.flat();
    void (async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      report({ part, event: script(config)[1] });
      while (waitForCancel && !cancelled) await new Promise((resolve) => setTimeout(resolve, 1));
      if (cancelled) report({ part, event: { type: 'cancelled', phase: 'teacher', step: 1 } });
      else report({ part, event: { type: 'finished', result: resultOf(config, models) } });
    })();
    return {
      cancel: () => {
        cancelled = true;
        log.push(`cancel ${part}`);
      },
      stop: () => void log.push(`stop ${part}`),
    };
  };
}

describe('the job sequence with the real pool', () => {
  it("starts the host's parts on the placement's chunks and names them in the result's backend", async () => {
    const parts: string[] = [];
    const { runEvents, host, sink } = recorder({ runPlaced: undefined, startPart: () => fakeParts(parts) });
    await runJob({ kind: 'run', config }, host, sink);
    expect(parts.slice(0, 2)).toEqual(['start 0: [[0,1]]', 'start 1: [[2,3]]']);
    expect(parts.slice(2).sort()).toEqual(['stop 0', 'stop 1']);
    const end = runEvents.at(-1);
    expect(end?.type).toBe('finished');
    if (end?.type !== 'finished') return;
    expect(end.result.backend).toBe('wasm × 2 workers');
    expect(end.result.crossSources).toEqual([0, 1, 2, 3]);
  });

  it("a cancel reaches every part through the host's signal; the run ends cancelled", async () => {
    const parts: string[] = [];
    const recorded = recorder({ runPlaced: undefined, startPart: () => fakeParts(parts, true) });
    const { runEvents, controller, host, sink } = recorded;
    const job: Job = { kind: 'run', config };
    const done = runJob(job, host, {
      ...sink,
      run: (event) => {
        sink.run(event);
        if (event.type === 'progress') controller.abort();
      },
    });
    await done;
    expect(runEvents.at(-1)).toEqual({ type: 'cancelled', phase: 'teacher', step: 1 });
    expect(runEvents.filter((event) => event.type === 'finished')).toEqual([]);
    expect(parts.filter((line) => line.startsWith('cancel')).sort()).toEqual(['cancel 0', 'cancel 1']);
    expect(parts.filter((line) => line.startsWith('stop')).sort()).toEqual(['stop 0', 'stop 1']);
  });
});
