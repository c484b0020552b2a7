/**
 * One run's context: what it was asked for, the decisions taken before any data moves (models,
 * layer sizes, stack mode, kernels, clock), then its data on the device and its first models.
 * Every phase reads from it; what it allocates, its scope frees.
 */
import * as tf from '../tf';
import type { MnistData } from '../../data/mnist';
import { assertValidConfig, INPUT_SIZE, type ExperimentConfig } from '../config';
import { uploadData, type DeviceData } from '../inputs/deviceData';
import { accuracies, predictions } from '../model/evaluate';
import { layerSizes, Stack, type HostParameters, type StackMode } from '../model/mlp';
import { range, startingParameters, type StartingParameters } from '../model/conditions';
import { SAMPLE_DIGITS, STUDENT_CONDITIONS } from '../results';
import { type RunEvent } from '../events';
import { DistillInputs } from '../inputs/distillInputs';
import type { StepKernels } from '../step/kernels';
import { StockKernels } from '../step/stockKernels';
import { StackGroup } from '../step/group';
import { fasterStackMode } from '../step/pickMode';
import { loadWebGpuKernels } from '../step/webgpuLoader';
import { oneStepSettings, type OneStepSettings } from '../why/oneStep';
import { SimdGroup } from '../step/simd/simdGroup';
import type { SimdTrainer } from '../step/simd/simdTrainer';
import type { StepExports } from '../step/simd/stepModule';
import { loadSimdKernel, makeGroup, simdTrainerFor, type CpuKernels } from '../step/simd/simdRun';
import { isCpuBackend } from '../schedule/placement';
import { runWork, type RunClock } from './progress';
import type { PauseGate } from './pause';
import type { RunScope } from './scope';

export interface RunOptions {
  /** Abort to cancel; the run stops before its next step. */
  signal?: AbortSignal;
  /** How stacks are computed; by default per-model on CPU backends, batched on GPU ones. */
  mode?: StackMode;
  /** Minimum time between progress events, in ms. */
  progressIntervalMs?: number;
  /** Names the backend in the result (default: tf.getBackend()). */
  backendLabel?: string;
  /**
   * The models (global indices 0…config.models−1) this run trains: a chunk of a bigger run.
   * Every model's numbers depend only on its own index, so chunks reproduce the whole run.
   */
  models?: readonly number[];
  /** The step kernels (default: stock ops in `mode`). */
  kernels?: StepKernels;
  /**
   * Also measure why the trait travels: alignment and distance series on the distillation curve
   * points, and the one-step experiment after the evaluation (in the chunk that holds model 0).
   */
  alignment?: boolean;
  /**
   * On CPU backends: train in the WebAssembly SIMD kernel (default, step/simd/) or on stock tfjs
   * ops ('stock', the reference it is tested against). Ignored on GPUs and with `kernels`.
   */
  cpuKernels?: CpuKernels;
  /** The lecturer's pause: the run waits between steps while it is paused, and at the stages it names. */
  pause?: PauseGate;
}

/** Per-model loops beat batched matMul on wasm (its batched kernel is slow); GPUs want one batch. */
export function defaultStackMode(backend: string): StackMode {
  return isCpuBackend(backend) ? 'per-model' : 'batched';
}

/**
 * The step kernels a run makes for itself when the caller brings none (the run owns them).
 * The one place that picks a kernel implementation for a backend and stack mode.
 */
export async function createKernels(backend: string, _mode: StackMode): Promise<StepKernels> {
  // The stock kernels serve both stack modes.
  return backend === 'webgpu' ? (await loadWebGpuKernels())() : new StockKernels();
}

/** The decisions taken before any data moves. */
export interface RunPlan {
  readonly config: ExperimentConfig;
  readonly options: RunOptions;
  readonly scope: RunScope;
  readonly backend: string;
  /** Global indices of the models this run trains; `k` of them. */
  readonly models: readonly number[];
  readonly k: number;
  readonly sizes: number[];
  readonly mode: StackMode;
  /** Models per packed stack: model by model, a group of one-model stacks; batched, one stack per group. */
  readonly rowsPerPart: number;
  readonly kernels: StepKernels;
  /**
   * The CPU kernel's instance when the run trains in it (its groups then live there, and
   * `kernels` serve only the one-step experiment); null on tensor kernels.
   */
  readonly simdKernel: StepExports | null;
  /** The one-step experiment's settings, when this run measures it (alignment, and it holds model 0). */
  readonly theorem: OneStepSettings | null;
  readonly clock: RunClock;
  /** Model 0's row in the teacher stack, and in each block of the student stack; -1 in a chunk without it. */
  readonly row0: number;
}

/** Checks the request and takes the run's decisions; throws on an invalid config or model list. */
export async function planRun(config: ExperimentConfig, options: RunOptions, scope: RunScope): Promise<RunPlan> {
  const backend = tf.getBackend();
  assertValidConfig(config);
  const models = options.models ?? range(config.models);
  if (models.length === 0 || models.some((i) => !Number.isInteger(i) || i < 0 || i >= config.models)) {
    throw new Error(`models must be indices in 0…${config.models - 1}`);
  }
  const k = models.length;
  const sizes = layerSizes(config.hidden, config.auxLogits);
  let mode = options.mode ?? defaultStackMode(backend);
  const simdKernel = await loadSimdKernel(backend, options);
  if (!options.mode && !options.kernels && !simdKernel && isCpuBackend(backend)) {
    // Measured on this run's shapes (a few models, a batch of at most 256): a second or two.
    mode = (await fasterStackMode(sizes, Math.min(4, k * STUDENT_CONDITIONS.length), Math.min(256, config.batchSize)))
      .mode;
  }
  const kernels = options.kernels ?? scope.own(await createKernels(backend, mode));
  const theorem = options.alignment && models.includes(0) ? oneStepSettings(config) : null;
  return {
    config,
    options,
    scope,
    backend,
    models,
    k,
    sizes,
    mode,
    rowsPerPart: mode === 'per-model' ? 1 : Number.MAX_SAFE_INTEGER,
    kernels,
    simdKernel,
    theorem,
    clock: {
      startedAt: performance.now(),
      totalWork: runWork(config, k, theorem),
      workDone: 0,
      progressIntervalMs: options.progressIntervalMs ?? 250,
      signal: options.signal,
      pause: options.pause,
    },
    row0: models.indexOf(0),
  };
}

/** A run with its data on the device and its reference and (untrained) teacher models. */
export interface RunContext extends RunPlan {
  readonly data: MnistData;
  readonly device: DeviceData;
  readonly distillInputs: DistillInputs;
  /** Every model's starting parameters: reference (= teacher's start), students', cross sources. */
  readonly start: StartingParameters;
  readonly reference: Stack;
  readonly teacher: StackGroup;
  /** The CPU kernel's trainer (MNIST copied in), when the run trains there. */
  readonly trainer: SimdTrainer | null;
  /** The first `curveTestImages` test images and labels, for the live curves. */
  readonly curveImages: tf.Tensor2D;
  readonly curveLabels: tf.Tensor1D;
  /** The first SAMPLE_DIGITS test images, whose predictions the page shows. */
  readonly sampleDigits: tf.Tensor2D;
}

/** Uploads the data and initialises the models, all owned by the run's scope. */
export function loadRun(plan: RunPlan, data: MnistData): RunContext {
  const { config, scope } = plan;
  const device = scope.own(uploadData(data, config, isCpuBackend(plan.backend)));
  const distillInputs = scope.own(DistillInputs.create(config, device, data));
  const start = startingParameters(config, plan.models);
  const trainer = plan.simdKernel && scope.own(simdTrainerFor(plan.simdKernel, config, plan.sizes, data, device));
  return {
    ...plan,
    data,
    device,
    distillInputs,
    start,
    trainer,
    reference: scope.own(Stack.fromHost(plan.sizes, start.reference, false)),
    teacher: scope.own(makeGroup(trainer, config, plan.sizes, start.reference, true, plan.rowsPerPart)),
    curveImages: scope.own(tf.slice(device.testImages, [0, 0], [config.curveTestImages, INPUT_SIZE]) as tf.Tensor2D),
    curveLabels: scope.own(tf.slice(device.testLabels, [0], [config.curveTestImages]) as tf.Tensor1D),
    sampleDigits: scope.own(tf.slice(device.testImages, [0, 0], [SAMPLE_DIGITS, INPUT_SIZE]) as tf.Tensor2D),
  };
}

/** The first test digits the pictures follow (raw pixels), sent once per run. */
export function sampleDigitsEvent(data: MnistData): RunEvent {
  return {
    type: 'digits',
    images: range(SAMPLE_DIGITS).map((i) =>
      Array.from(data.test.pixels.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE)),
    ),
    labels: Array.from(data.test.labels.subarray(0, SAMPLE_DIGITS)),
  };
}

/** Evaluates a packed stack through a plain copy made for the occasion. */
export async function evaluate<T>(stack: StackGroup, measure: (plainStack: Stack) => Promise<T>): Promise<T> {
  const copy = stack.toStack();
  try {
    return await measure(copy);
  } finally {
    copy.dispose();
  }
}

/** Every model's accuracy on the curve's test images (a live curve point). */
export const curveAccuracies = async (run: RunContext, stack: StackGroup) =>
  stack instanceof SimdGroup
    ? stack.accuracies(run.config.curveTestImages)
    : evaluate(stack, (s) => accuracies(s, run.curveImages, run.curveLabels, run.mode));

/** Every model's predicted digit for each sample digit. */
export const samplePredictions = async (run: RunContext, stack: StackGroup) =>
  stack instanceof SimdGroup
    ? stack.predictions(SAMPLE_DIGITS)
    : evaluate(stack, (s) => predictions(s, run.sampleDigits, run.mode));

/** Every model of a group tested on the whole test set (in the CPU kernel when it lives there). */
export const groupTestAccuracies = async (run: RunContext, group: StackGroup) =>
  group instanceof SimdGroup ? group.accuracies() : evaluate(group, (s) => testAccuracies(run, s));

/** A group of `models`, owned by the run: in the CPU kernel when the run trains there, else packed stacks. */
export const newGroup = (run: RunContext, models: readonly HostParameters[], trainable: boolean) =>
  run.scope.own(makeGroup(run.trainer, run.config, run.sizes, models, trainable, run.rowsPerPart));

/** Every model's accuracy on the whole test set. */
export const testAccuracies = (run: RunContext, stack: Stack) =>
  accuracies(stack, run.device.testImages, run.device.testLabels, run.mode);
