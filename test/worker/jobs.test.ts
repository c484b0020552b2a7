/**
 * The engine worker's jobs with fakes for the backend, MNIST and the placed run: what the page
 * hears and in what order, one job at a time, exactly one end per start, weights kept and handed
 * over, a poisoned engine recovered, helpers warmed on a CPU-only machine.
 */
import { describe, expect, it } from 'vitest';
import type { MnistData } from '../../src/data/mnist';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import type { BackendChoice, BackendName } from '../../src/experiment/device/backend';
import type { RunEvent } from '../../src/experiment/events';
import { CONDITIONS, type ExperimentResult, type ModelWeights } from '../../src/experiment/results';
import { WASM_LIMITS } from '../../src/experiment/schedule/chunks';
import type { PlacedRunner } from '../../src/experiment/schedule/job';
import type { PauseGate } from '../../src/experiment/run/pause';
import { planSweep } from '../../src/experiment/sweep/sweep';
import { Drawing } from '../../src/worker/drawing';
import { Jobs, type JobsDeps } from '../../src/worker/jobs';
import type { FromWorker } from '../../src/worker/protocol';

const config: ExperimentConfig = { ...preset('tiny'), models: 2 };
const DATA = { train: { count: 60_000 } } as unknown as MnistData;
const WEIGHTS: ModelWeights = { sizes: [1, 1], weights: [new Float32Array(1)], biases: [new Float32Array(1)] };

function resultOf(cfg: ExperimentConfig): ExperimentResult {
  return {
    config: cfg,
    backend: 'fake',
    seconds: 1,
    conditions: Object.fromEntries(
      CONDITIONS.map((name) => [name, { accuracies: [0.5], mean: 0.5, sd: null, ci95: null }]),
    ) as ExperimentResult['conditions'],
    curves: { teacher: [], distill: [] },
    crossSources: [0],
  };
}

const progress = (step: number): RunEvent => ({
  type: 'progress',
  phase: 'teacher',
  step,
  totalSteps: 10,
  stepsPerSecond: 1,
  fraction: step / 10,
  secondsLeft: 1,
});

/** A whole run's events, weights included. */
const fullRun = (cfg: ExperimentConfig): RunEvent[] => [
  { type: 'phase', phase: 'teacher', message: 'Training the teacher', totalSteps: 10 },
  progress(1),
  { type: 'weights', phase: 'teacher', weights: { teacher: WEIGHTS } },
  { type: 'evaluated', result: resultOf(cfg) },
  { type: 'finished', result: resultOf(cfg) },
];

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Yields `events`, then (with `hold`) waits for the run's signal and ends cancelled, as a real run does. */
function scripted(events: (cfg: ExperimentConfig) => RunEvent[], hold = false): PlacedRunner {
  return async function* (cfg, _data, _placement, options) {
    for (const event of events(cfg)) {
      await tick();
      yield event;
    }
    if (!hold) return;
    while (!options.signal?.aborted) await tick();
    yield { type: 'cancelled', phase: 'teacher', step: 1 };
  };
}

function worker(options: { backend?: BackendName; runPlaced?: PlacedRunner; deps?: Partial<JobsDeps> } = {}) {
  const posted: FromWorker[] = [];
  const recovered: [number, string][] = [];
  const warmed: number[] = [];
  const pauses: PauseGate[] = [];
  const post = (message: FromWorker) => posted.push(message);
  const picked: Promise<BackendChoice> = Promise.resolve({
    name: options.backend ?? 'wasm',
    adapter: null,
    fallbacks: [],
  });
  let tensors = 10;
  const runPlaced = options.runPlaced ?? scripted(fullRun);
  const jobs = new Jobs({
    post,
    backend: {
      current: picked,
      ensure: () => picked,
      limits: () => WASM_LIMITS,
      recover: async (before, failure) => void recovered.push([before, failure]),
    },
    data: { current: DATA, ensure: async () => DATA },
    drawing: new Drawing(post),
    cores: () => 4,
    startPart: () => () => {
      throw new Error('no helper workers here');
    },
    warmHelpers: (count) => void warmed.push(count),
    tensors: () => tensors++,
    runPlaced: (cfg, data, placement, runOptions) => {
      if (runOptions.pause) pauses.push(runOptions.pause);
      return runPlaced(cfg, data, placement, runOptions);
    },
    ...options.deps,
  });
  return { jobs, posted, recovered, warmed, pauses };
}

/** The page's view: each message as `type` plus the event's type. */
const story = (posted: FromWorker[]) =>
  posted.map((message) =>
    message.type === 'run' || message.type === 'sweep' ? `${message.runId} ${message.event.type}` : message.type,
  );

/** Waits until the worker has said `count` ends (of runs or sweeps). */
async function ends(posted: FromWorker[], count: number) {
  const isEnd = (message: FromWorker) =>
    (message.type === 'run' && ['finished', 'failed', 'cancelled'].includes(message.event.type)) ||
    (message.type === 'sweep' && ['sweep-finished', 'sweep-stopped'].includes(message.event.type));
  while (posted.filter(isEnd).length < count) await tick();
}

describe('the worker runs a job', () => {
  it("passes the run's events on, keeps its weights, and hands them over before 'evaluated'", async () => {
    const { jobs, posted } = worker();
    await jobs.start(1, { kind: 'run', config });
    await ends(posted, 1);
    expect(story(posted)).toEqual([
      '1 phase',
      '1 progress',
      'models-ready',
      'final-weights',
      '1 evaluated',
      '1 finished',
    ]);
    expect(posted[2]).toEqual({ type: 'models-ready', runId: 1, models: ['teacher'] });
  });

  it("a sweep's events go as 'sweep', each value's weights handed over", async () => {
    const { jobs, posted } = worker();
    const { plan } = planSweep(config, 'm=1,2');
    await jobs.start(3, { kind: 'sweep', base: config, plan: plan! });
    await ends(posted, 1);
    const kinds = story(posted);
    expect(kinds.filter((kind) => kind === 'final-weights')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === '3 sweep-point')).toHaveLength(2);
    expect(kinds.at(-1)).toBe('3 sweep-finished');
    expect(posted.some((message) => message.type === 'run')).toBe(false);
  });

  it('a config that cannot hold one model fails at prepare with every reason, a sweep as stopped', async () => {
    const tight = { ...WASM_LIMITS, capacityBytes: 1000 };
    const backend = (limits: typeof tight) => ({
      current: null,
      ensure: async () => ({ name: 'wasm', adapter: null, fallbacks: [] }) as BackendChoice,
      limits: () => limits,
      recover: async () => undefined,
    });
    const { jobs, posted, recovered } = worker({ deps: { backend: backend(tight) } });
    await jobs.start(1, { kind: 'run', config });
    await ends(posted, 1);
    const [refused] = posted;
    expect(refused).toMatchObject({ type: 'run', runId: 1, event: { type: 'failed', phase: 'prepare' } });
    expect(refused.type === 'run' && refused.event.type === 'failed' && refused.event.reason).toContain('can hold');
    // Nothing ran on the backend: nothing to recover.
    expect(recovered).toEqual([]);
    const { plan } = planSweep(config, 'm=1,2');
    await jobs.start(2, { kind: 'sweep', base: config, plan: plan! });
    await ends(posted, 2);
    expect(posted.at(-1)).toMatchObject({
      type: 'sweep',
      runId: 2,
      event: { type: 'sweep-stopped', index: 0, value: '', event: { type: 'failed', phase: 'prepare' } },
    });
  });
});

describe('the worker runs one job at a time', () => {
  it('a new start cancels the run in progress first; a start replaced while it waits never runs', async () => {
    const asked: string[] = [];
    const { jobs, posted } = worker({
      runPlaced: scripted(() => [progress(1)], true),
      deps: { data: { current: DATA, ensure: async () => (asked.push('data'), DATA) } },
    });
    await jobs.start(1, { kind: 'run', config });
    while (posted.length === 0) await tick();
    const second = jobs.start(2, { kind: 'run', config });
    const third = jobs.start(3, { kind: 'run', config });
    await Promise.all([second, third]);
    while (!story(posted).includes('3 progress')) await tick();
    jobs.abort(new Error('cancelled by the user'), 3);
    await ends(posted, 3);
    expect(story(posted)).toEqual(['1 progress', '1 cancelled', '2 cancelled', '3 progress', '3 cancelled']);
    expect(posted[2]).toEqual({ type: 'run', runId: 2, event: { type: 'cancelled', phase: 'prepare', step: 0 } });
    // Run 2 never asked for anything.
    expect(asked).toEqual(['data', 'data']);
  });

  it('a cancel of another run is ignored; a device loss stops whatever runs', async () => {
    const { jobs, posted } = worker({ runPlaced: scripted(() => [progress(1)], true) });
    await jobs.start(1, { kind: 'run', config });
    while (posted.length === 0) await tick();
    jobs.abort(new Error('cancelled by the user'), 7);
    await tick();
    await tick();
    expect(story(posted)).toEqual(['1 progress']);
    jobs.abort(new Error('GPU device lost: gone'));
    await ends(posted, 1);
    expect(story(posted)).toEqual(['1 progress', '1 cancelled']);
  });

  it("the lecturer's pause and resume reach the run's gate, only for its own id", async () => {
    const { jobs, posted, pauses } = worker({ runPlaced: scripted(() => [progress(1)], true) });
    await jobs.start(1, { kind: 'run', config }, true);
    while (posted.length === 0) await tick();
    const [gate] = pauses;
    expect(gate.stages()).toEqual(['distill', 'evaluate']);
    jobs.pauseOrResume(2, 'pause');
    expect(gate.paused).toBe(false);
    jobs.pauseOrResume(1, 'pause');
    expect(gate.paused).toBe(true);
    jobs.pauseOrResume(1, 'resume');
    expect(gate.paused).toBe(false);
    jobs.abort(new Error('done'));
    await ends(posted, 1);
  });
});

describe('the worker reports what goes wrong', () => {
  it('a failed download fails the run at prepare with its reason, and leaves the backend be', async () => {
    const { jobs, posted, recovered } = worker({
      deps: {
        data: { current: null, ensure: () => Promise.reject(new Error('Could not download test.gz: HTTP 404')) },
      },
    });
    await jobs.start(1, { kind: 'run', config });
    await ends(posted, 1);
    expect(posted).toEqual([
      {
        type: 'run',
        runId: 1,
        event: { type: 'failed', phase: 'prepare', reason: 'Could not download test.gz: HTTP 404' },
      },
    ]);
    await tick();
    expect(recovered).toEqual([]);
  });

  it("a run that fails asks the backend to recover from the tensors held at its start; a cancel doesn't", async () => {
    const failing = scripted(() => [
      { type: 'phase', phase: 'distill', message: 'Distilling', totalSteps: 1 },
      { type: 'failed', phase: 'distill', reason: 'memory access out of bounds' },
    ]);
    const { jobs, posted, recovered } = worker({ runPlaced: failing });
    await jobs.start(1, { kind: 'run', config });
    await ends(posted, 1);
    while (recovered.length === 0) await tick();
    expect(recovered).toEqual([[10, 'memory access out of bounds']]);
    const held = worker({ runPlaced: scripted(() => [progress(1)], true) });
    await held.jobs.start(1, { kind: 'run', config });
    while (held.posted.length === 0) await tick();
    held.jobs.abort(new Error('cancelled by the user'));
    await ends(held.posted, 1);
    await tick();
    expect(held.recovered).toEqual([]);
  });

  it('a run that throws fails in the phase it reached; one that stops without an end fails saying so', async () => {
    const throwing: PlacedRunner = async function* () {
      yield { type: 'phase', phase: 'teacher', message: 'Training the teacher', totalSteps: 1 };
      throw new Error('kernel exploded');
    };
    const a = worker({ runPlaced: throwing });
    await a.jobs.start(1, { kind: 'run', config });
    await ends(a.posted, 1);
    expect(a.posted.at(-1)).toEqual({
      type: 'run',
      runId: 1,
      event: { type: 'failed', phase: 'teacher', reason: 'kernel exploded' },
    });
    const b = worker({ runPlaced: scripted(() => [progress(1)]) });
    await b.jobs.start(1, { kind: 'run', config });
    await ends(b.posted, 1);
    expect(b.posted.at(-1)).toEqual({
      type: 'run',
      runId: 1,
      event: { type: 'failed', phase: 'teacher', reason: 'the run stopped without a result' },
    });
  });
});

describe('the worker between jobs', () => {
  it('warms helper workers after a run on wasm, one per core, and not on a GPU', async () => {
    const wasm = worker();
    await wasm.jobs.start(1, { kind: 'run', config });
    await ends(wasm.posted, 1);
    while (wasm.warmed.length === 0) await tick();
    expect(wasm.warmed).toEqual([4]);
    const gpu = worker({ backend: 'webgpu' });
    await gpu.jobs.start(1, { kind: 'run', config });
    await ends(gpu.posted, 1);
    await tick();
    gpu.jobs.warmUp();
    await tick();
    expect(gpu.warmed).toEqual([]);
  });

  it("'prepare' downloads what the coming run reads, then warms the helpers; a nonsense count asks nothing", async () => {
    const asked: (number | undefined)[] = [];
    const { jobs, warmed } = worker({
      deps: { data: { current: DATA, ensure: async (trainImages) => (asked.push(trainImages), DATA) } },
    });
    jobs.prepare({ ...config, trainImages: 12_000 });
    jobs.prepare({ ...config, trainImages: -1 });
    jobs.prepare(null as unknown as ExperimentConfig);
    while (warmed.length === 0) await tick();
    expect(asked).toEqual([12_000]);
    expect(warmed).toEqual([4]);
  });

  it('stopAll ends the run in progress and waits until it has let go', async () => {
    const { jobs, posted } = worker({ runPlaced: scripted(() => [progress(1)], true) });
    await jobs.start(1, { kind: 'run', config });
    while (posted.length === 0) await tick();
    await jobs.stopAll(new Error('replaced by the benchmark'));
    expect(story(posted)).toEqual(['1 progress', '1 cancelled']);
  });
});
