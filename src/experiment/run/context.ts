/**
 * One run's context: what it was asked for, the decisions taken before any data moves (models,
 * layer sizes, stack mode, kernels, clock), then its data on the device and its first models.
 * Every phase reads from it; what it allocates, its scope frees.
 */
import * as tf from '../tf';
import type { MnistData } from '../../data/mnist';
import { assertValidConfig, INPUT_SIZE, type ExperimentConfig } from '../config';
import { uploadData, type DeviceData } from '../inputs/deviceData';
import { layerSizes, type HostParameters, type StackMode } from '../model/mlp';
import { range } from '../../base/range';
import { byStudentCondition, startingParameters, type StartingParameters } from '../model/conditions';
import { SAMPLE_DIGITS, STUDENT_CONDITIONS } from '../results';
import { type RunEvent } from '../events';
import { DistillInputs } from '../inputs/distillInputs';
import type { StepKernels } from '../step/kernels';
import type { ModelGroup, TestImages } from '../step/modelGroup';
import {
  chooseTrainingPath,
  groupMaker,
  isCpuBackend,
  type CpuKernels,
  type GroupMaker,
  type TrainingPath,
} from '../step/trainingPath';
import { simdDataOf } from '../step/simd/simdRun';
import { theoremSettings, type TheoremSettings } from '../why/theorem';
import { traitMeasures, traitProbes, type TraitProbes } from '../trait/measure';
import { runWork, type RunClock } from './progress';
import type { PauseGate } from './pause';
import type { RunScope } from './scope';

export interface RunOptions {
  /** Abort to cancel; the run stops before its next step. */
  signal?: AbortSignal;
  /** Stock ops in this stack mode (default: the faster one measured on CPU backends, batched on GPUs). */
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
  /** Train tensor groups on these step kernels (tests inject failing ones); the caller owns them. */
  kernels?: StepKernels;
  /**
   * Also measure why the trait travels: alignment and distance series on the distillation curve
   * points, and the one-step experiment after the evaluation (in the chunk that holds model 0).
   */
  alignment?: boolean;
  /** On CPU backends: the SIMD kernel (default) or stock tfjs ops, the reference (step/trainingPath.ts). */
  cpuKernels?: CpuKernels;
  /** The lecturer's pause: the run waits between steps while it is paused, and at the stages it names. */
  pause?: PauseGate;
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
  /** How the run trains (step/trainingPath.ts): its groups, and the kernels of the one-step experiment. */
  readonly path: TrainingPath;
  /** The one-step experiment's settings, when this run measures it (alignment, and it holds model 0). */
  readonly theorem: TheoremSettings | null;
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
  // A stock path on a CPU times both stack modes on this run's shapes: a second or two.
  const shapes = { sizes, rows: Math.min(4, k * STUDENT_CONDITIONS.length), batch: Math.min(256, config.batchSize) };
  const path = scope.own(await chooseTrainingPath(backend, options, shapes));
  const theorem = options.alignment && models.includes(0) ? theoremSettings(config) : null;
  return {
    config,
    options,
    scope,
    backend,
    models,
    k,
    sizes,
    path,
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

/** A run with its data on the device and its (untrained) teachers. */
export interface RunContext extends RunPlan {
  readonly data: MnistData;
  readonly device: DeviceData;
  readonly distillInputs: DistillInputs;
  /** What the trait is measured on, finally and on the curves; null for 'digits' (its measure is accuracy). */
  readonly trait: TraitProbes | null;
  /** Every model's starting parameters: reference (= teacher's start), students', cross sources. */
  readonly start: StartingParameters;
  /** Makes the run's model groups on its path. */
  readonly groups: GroupMaker;
  readonly teacher: ModelGroup;
}

/** Uploads the data and initialises the teachers, all owned by the run's scope. */
export function loadRun(plan: RunPlan, data: MnistData): RunContext {
  const { config, scope, sizes } = plan;
  const device = scope.own(uploadData(data, config, isCpuBackend(plan.backend)));
  const distillInputs = scope.own(DistillInputs.create(config, device, data));
  const groups = scope.own(
    groupMaker(plan.path, {
      sizes,
      batchSize: config.batchSize,
      noiseSetSize: config.noiseImages,
      simdData: () => simdDataOf(config, data, device),
      tests: testImages(device, scope),
    }),
  );
  const start = startingParameters(config, plan.models);
  return {
    ...plan,
    data,
    device,
    distillInputs,
    trait: traitProbes(config, data),
    start,
    groups,
    teacher: scope.own(groups.make(start.reference, true)),
  };
}

/** The first `count` test images and labels, each slice made once and owned by the run. */
function testImages(device: DeviceData, scope: RunScope): TestImages {
  const slices = new Map<number, { images: tf.Tensor2D; labels: tf.Tensor1D }>();
  return (count = Infinity) => {
    // Read here, not above: the test set is uploaded only when a path evaluates with tensors.
    if (count >= device.testImages.shape[0]) return { images: device.testImages, labels: device.testLabels };
    let slice = slices.get(count);
    if (!slice) {
      slice = {
        images: scope.own(tf.slice(device.testImages, [0, 0], [count, INPUT_SIZE]) as tf.Tensor2D),
        labels: scope.own(tf.slice(device.testLabels, [0], [count]) as tf.Tensor1D),
      };
      slices.set(count, slice);
    }
    return slice;
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

/** A group of `models` on the run's path, owned by the run. */
export const newGroup = (run: RunContext, models: readonly HostParameters[], trainable: boolean) =>
  run.scope.own(run.groups.make(models, trainable));

/** Every model's accuracy on the curve's test images (a live curve point). */
export const curveAccuracies = (run: RunContext, group: ModelGroup) => group.accuracies(run.config.curveTestImages);

/** Every model's trait measure on the curve's share of its images; null for 'digits' or no such images. */
export const curveTrait = async (run: RunContext, group: ModelGroup): Promise<number[] | null> =>
  run.trait?.curve ? traitMeasures(group, run.trait.curve) : null;

/** A distillation curve point's `trait`: every student's, by condition (nothing for 'digits'). */
export async function studentsTraitPoint(run: RunContext, students: ModelGroup) {
  const values = await curveTrait(run, students);
  return values ? { trait: byStudentCondition(values, run.k) } : {};
}

/** Every model's predicted digit for each sample digit. */
export const samplePredictions = (group: ModelGroup) => group.predictions(SAMPLE_DIGITS);
