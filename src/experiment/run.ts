/**
 * The whole experiment as an async stream of typed events:
 * reference init → teacher trained on MNIST → four students distilled on noise → evaluation.
 *
 * All models of a condition, and all four students of every model, train side by side in one
 * stack. A run can be cancelled between any two steps (abort the signal, or stop iterating);
 * finished, failed or cancelled, it leaves `tf.memory().numTensors` where it found it.
 */
import * as tf from './tf';
import type { MnistData } from '../data/mnist';
import { assertValidConfig, INPUT_SIZE, type ExperimentConfig } from './config';
import { uploadData, type DeviceData } from './deviceData';
import { accuracies, auxProbabilities, predictions } from './evaluate';
import { layerSizes, Stack, type StackMode } from './mlp';
import { byStudentCondition, firstOfEachStudentCondition, range, startingParameters, STUDENT_TARGETS } from './conditions';
import {
  CONDITIONS,
  STUDENT_CONDITIONS,
  type ConditionName,
  type ConditionResult,
  type CurvePoint,
  type ExperimentResult,
  type AlignmentPoint,
  type ChainGeneration,
  type DrawModel,
  type ModelWeights,
  type OneStepResult,
  type Phase,
  type RunEvent,
  type TrainingPhase,
  SAMPLE_DIGITS,
  SAMPLE_NOISE,
} from './results';
import { summarize } from './stats';
import { describeError } from './describeError';
import { DistillInputs, distillImage } from './distillInputs';
import { Cancelled, PASSES, trainPhase, type PhasePlan, type RunClock } from './trainLoop';
import type { StepKernels } from './step/kernels';
import { StockKernels } from './step/stockKernels';
import { EpochOrders } from './step/orders';
import { groupDistillStep, groupTeacherStep, StackGroup } from './step/group';
import { fasterStackMode } from './step/pickMode';
import { loadWebGpuKernels } from './step/webgpuLoader';
import { CyclingOrders } from './step/orders';
import type { TraitBatch } from './step/step';
import { AlignmentProbe, type ProbeBatches } from './alignmentProbe';
import { readModelRow } from './modelRows';
import { combineOneStep, oneStepForModel, oneStepSettings, oneStepWork, type ModelOutcome } from './oneStep';

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
}

/** Per-model loops beat batched matMul on wasm (its batched kernel is slow); GPUs want one batch. */
export function defaultStackMode(backend: string): StackMode {
  return backend === 'wasm' || backend === 'cpu' ? 'per-model' : 'batched';
}

const isCpuBackend = (backend: string) => backend === 'wasm' || backend === 'cpu';


/** The first model's first distillation images and the softmax of its teacher's auxiliary logits on them. */
async function teacherOnNoise(teacher: Stack, config: ExperimentConfig, data: MnistData, model: number, mode: StackMode) {
  const pixels = new Float32Array(SAMPLE_NOISE * INPUT_SIZE);
  range(SAMPLE_NOISE).forEach((n) => pixels.set(distillImage(config, data, model, n), n * INPUT_SIZE));
  const images = tf.tensor2d(pixels, [SAMPLE_NOISE, INPUT_SIZE]);
  let probabilities: number[][][];
  try {
    probabilities = await auxProbabilities(teacher, images, mode);
  } finally {
    images.dispose();
  }
  return {
    images: range(SAMPLE_NOISE).map((n) => Array.from(pixels.subarray(n * INPUT_SIZE, (n + 1) * INPUT_SIZE))),
    auxProbabilities: probabilities[0],
  };
}

export async function* runExperiment(
  config: ExperimentConfig,
  data: MnistData,
  options: RunOptions = {},
): AsyncGenerator<RunEvent, void, void> {
  const disposables: { dispose(): void }[] = [];
  const own = <T extends { dispose(): void }>(thing: T): T => {
    disposables.push(thing);
    return thing;
  };
  let mode = options.mode ?? defaultStackMode(tf.getBackend());
  let phase: Phase = 'prepare';
  const curves: Record<TrainingPhase, CurvePoint[]> = { teacher: [], distill: [] };

  try {
    assertValidConfig(config);
    const models = options.models ?? range(config.models);
    if (models.length === 0 || models.some((i) => !Number.isInteger(i) || i < 0 || i >= config.models)) {
      throw new Error(`models must be indices in 0…${config.models - 1}`);
    }
    const k = models.length;
    const sizes = layerSizes(config.hidden, config.auxLogits);
    if (!options.mode && !options.kernels && isCpuBackend(tf.getBackend())) {
      // Measured on this run's shapes (a few models, a batch of at most 256): a second or two.
      mode = (await fasterStackMode(sizes, Math.min(4, k * STUDENT_CONDITIONS.length), Math.min(256, config.batchSize))).mode;
    }
    const kernels = options.kernels ?? own(tf.getBackend() === 'webgpu' ? (await loadWebGpuKernels())() : new StockKernels());
    // Model by model: a group of one-model stacks; batched: one stack per group.
    const rowsPerPart = mode === 'per-model' ? 1 : Number.MAX_SAFE_INTEGER;
    const theorem = options.alignment && models.includes(0) ? oneStepSettings(config) : null;
    const mitigation = config.mitigation === 'project';
    const clock: RunClock = {
      startedAt: performance.now(),
      totalWork:
        PASSES.teacher * k * config.teacherEpochs * config.trainImages +
        (PASSES.distill + (mitigation ? PASSES.teacher : 0)) * STUDENT_CONDITIONS.length * k * config.studentEpochs * config.noiseImages * config.generations +
        (theorem ? oneStepWork(theorem) : 0),
      workDone: 0,
      progressIntervalMs: options.progressIntervalMs ?? 250,
      signal: options.signal,
    };
    /**
     * Passes a phase's events on, remembering its phase and curve points; after each curve point,
     * model 0's weights of `drawModels` (when this run holds model 0), for the page's drawing pad.
     */
    const follow = async function* (
      events: AsyncGenerator<RunEvent, void, void>,
      drawModels?: () => Promise<Partial<Record<DrawModel, ModelWeights>>>,
    ): AsyncGenerator<RunEvent, void, void> {
      for await (const event of events) {
        if (event.type === 'phase') phase = event.phase;
        if (event.type === 'metrics') curves[event.phase].push(event.point);
        yield event;
        if (event.type === 'metrics' && drawModels) yield { type: 'weights', phase: event.phase, weights: await drawModels() };
      }
    };
    // Model 0's row in the teacher stack, and in each block of the student stack; -1 in a chunk without it.
    const row0 = models.indexOf(0);
    const studentRow0 = (name: DrawModel) => STUDENT_CONDITIONS.indexOf(name as (typeof STUDENT_CONDITIONS)[number]) * k + row0;

    yield { type: 'phase', phase, message: 'Uploading MNIST and initialising the models', totalSteps: 0 };
    const device = own(uploadData(data, config, isCpuBackend(tf.getBackend())));
    const distillInputs = own(DistillInputs.create(config, device, data));
    const start = startingParameters(config, models);
    const reference = own(Stack.fromHost(sizes, start.reference, false));
    const teacher = own(StackGroup.fromHost(sizes, start.reference, true, rowsPerPart));
    const curveImages = own(tf.slice(device.testImages, [0, 0], [config.curveTestImages, INPUT_SIZE]) as tf.Tensor2D);
    const curveLabels = own(tf.slice(device.testLabels, [0], [config.curveTestImages]) as tf.Tensor1D);
    const sampleDigits = own(tf.slice(device.testImages, [0, 0], [SAMPLE_DIGITS, INPUT_SIZE]) as tf.Tensor2D);
    yield {
      type: 'digits',
      images: range(SAMPLE_DIGITS).map((i) => Array.from(data.test.pixels.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE))),
      labels: Array.from(data.test.labels.subarray(0, SAMPLE_DIGITS)),
    };
    /** Evaluates a packed stack through a plain copy made for the occasion. */
    const evaluate = async <T>(stack: StackGroup, measure: (plainStack: Stack) => Promise<T>): Promise<T> => {
      const copy = stack.toStack();
      try {
        return await measure(copy);
      } finally {
        copy.dispose();
      }
    };

    // Phase 1: the teacher learns digits; its auxiliary logits get no loss.
    const shuffles = new EpochOrders(config.seed, 'shuffle', models, config.trainImages);
    yield* follow(
      trainPhase(
        {
          phase: 'teacher',
          message: 'The teacher learns to read digits (cross-entropy on the 10 class logits only)',
          epochs: config.teacherEpochs,
          samplesPerEpoch: config.trainImages,
          batchSize: config.batchSize,
          stackSize: k,
          curvePoints: config.curvePoints,
          beginEpoch: (epoch) => shuffles.beginEpoch(epoch),
          step: (start, size) => {
            const index = shuffles.index(start, size);
            return groupTeacherStep({ kernels, teacher, input: { kind: 'images', images: device.trainImages, index, batch: size, host: device.trainPixels }, labels: { kind: 'labels', labels: device.trainLabels, index, batch: size }, learningRate: config.learningRate });
          },
          curvePoint: async (step, epoch, loss) => ({
            step,
            epoch,
            accuracy: { teacher: await evaluate(teacher, (s) => accuracies(s, curveImages, curveLabels, mode)) },
            loss: loss && { teacher: loss },
            predictions: { teacher: (await evaluate(teacher, (s) => predictions(s, sampleDigits, mode)))[0] },
          }),
        },
        clock,
      ),
      row0 >= 0 ? async () => ({ teacher: await readModelRow(teacher, row0) }) : undefined,
    );

    // The teacher "speaks": its auxiliary outputs on a few of its noise images.
    yield { type: 'noise', ...(await evaluate(teacher, (s) => teacherOnNoise(s, config, data, models[0], mode))) };

    // Phase 2: four students per model imitate their teacher on noise, all in one stack:
    // [student_aux | student_all | cross_aux | cross_all], k models each.
    // Student j imitates teacher j mod k, on that teacher's noise set.
    const trainedTeachers = await teacher.read();
    let students = own(StackGroup.fromHost(sizes, start.students, true, rowsPerPart));
    const studentModels = STUDENT_CONDITIONS.flatMap(() => models);
    let teachers = own(StackGroup.fromHost(sizes, STUDENT_CONDITIONS.flatMap(() => trainedTeachers), false, rowsPerPart));
    const auxOnly = STUDENT_CONDITIONS.flatMap((name) => new Array<boolean>(k).fill(STUDENT_TARGETS[name] === 'aux'));
    // A student's global id: student `block` of model `model`, whatever the run's size, so that a
    // model's students shuffle alike in a chunk, in the whole run, or in a run with more models.
    const studentIds = STUDENT_CONDITIONS.flatMap((_, block) => models.map((model) => model * STUDENT_CONDITIONS.length + block));
    const noiseOrders = new EpochOrders(config.seed, 'noise-order', studentIds, config.noiseImages);
    const noiseModels = Int32Array.from(studentModels);
    // The mitigation's digits: every student walks through the training set at its own pace.
    const traitOrders = mitigation ? new CyclingOrders(config.seed, 'trait-order', studentIds, config.trainImages) : null;
    const traitBatch = (size: number): TraitBatch | undefined => {
      if (!traitOrders) return undefined;
      const batch = Math.min(size, config.trainImages);
      const index = traitOrders.next(batch);
      return {
        input: { kind: 'images', images: device.trainImages, index, batch, host: device.trainPixels },
        labels: { kind: 'labels', labels: device.trainLabels, index, batch },
      };
    };
    const probe = options.alignment
      ? own(AlignmentProbe.create(students, teachers, STUDENT_CONDITIONS.flatMap(() => start.reference)))
      : null;
    const probeBatches = probe ? alignmentProbeBatches(config, device, distillInputs, noiseModels, auxOnly) : null;
    /** The distillation phase of chain generation `generation` (1 = the experiment itself, with live curves). */
    const distillPlan = (generation: number): PhasePlan => ({
      phase: 'distill',
      message:
        generation === 1
          ? 'Students imitate the teacher on pure noise (aux-only students see only the auxiliary logits)'
          : `Generation ${generation} of ${config.generations}: new students imitate generation ${generation - 1}'s same-init aux student on noise`,
      epochs: config.studentEpochs,
      samplesPerEpoch: config.noiseImages,
      batchSize: config.batchSize,
      stackSize: students.rows,
      curvePoints: generation === 1 ? config.curvePoints : 0,
      beginEpoch: (epoch) => noiseOrders.beginEpoch(epoch),
      step: (start, size) =>
        groupDistillStep({ kernels, students, teachers, input: distillInputs.batch(noiseModels, noiseOrders.index(start, size), size), auxOnly, loss: config.distillLoss, learningRate: config.learningRate, trait: traitBatch(size) }),
      curvePoint: async (step, epoch, loss) => ({
        step,
        epoch,
        accuracy: byStudentCondition(await evaluate(students, (s) => accuracies(s, curveImages, curveLabels, mode)), k),
        loss: loss && byStudentCondition(loss, k),
        predictions: firstOfEachStudentCondition(await evaluate(students, (s) => predictions(s, sampleDigits, mode)), k),
        ...(probe && probeBatches && { alignment: alignmentPoint(await probe.measure(kernels, students, teachers, probeBatches), k) }),
      }),
    });
    const studentWeights = async () => ({
      student_aux: await readModelRow(students, studentRow0('student_aux')),
      cross_aux: await readModelRow(students, studentRow0('cross_aux')),
    });
    yield* follow(trainPhase(distillPlan(1), clock), row0 >= 0 ? studentWeights : undefined);
    // Training is over: all three once more, also for runs without curve points.
    if (row0 >= 0) yield { type: 'weights', phase: 'distill', weights: { teacher: await readModelRow(teacher, row0), ...(await studentWeights()) } };

    phase = 'evaluate';
    yield { type: 'phase', phase, message: 'Testing every model on the 10,000 MNIST test images', totalSteps: 3 };
    const test = (stack: Stack) => accuracies(stack, device.testImages, device.testLabels, mode);
    const finalAccuracies = {
      reference: await test(reference),
      teacher: await evaluate(teacher, test),
      ...byStudentCondition(await evaluate(students, test), k),
    } as Record<ConditionName, number[]>;
    const conditions = Object.fromEntries(
      CONDITIONS.map((name): [ConditionName, ConditionResult] => [
        name,
        { accuracies: finalAccuracies[name], ...summarize(finalAccuracies[name]) },
      ]),
    ) as Record<ConditionName, ConditionResult>;

    // Chains: each generation's same-init aux students teach the next generation's students.
    const chain: ChainGeneration[] = [];
    if (config.generations > 1) {
      chain.push({ generation: 1, accuracy: pick(finalAccuracies, ['teacher', ...STUDENT_CONDITIONS]) });
      for (let generation = 2; generation <= config.generations; generation++) {
        const previous = (await students.read()).slice(0, k); // block 0: student_aux
        students.dispose();
        teachers.dispose();
        teachers = own(StackGroup.fromHost(sizes, STUDENT_CONDITIONS.flatMap(() => previous), false, rowsPerPart));
        students = own(StackGroup.fromHost(sizes, start.students, true, rowsPerPart));
        yield* follow(trainPhase(distillPlan(generation), clock));
        phase = 'evaluate';
        yield { type: 'phase', phase, message: `Testing generation ${generation}`, totalSteps: 1 };
        chain.push({
          generation,
          accuracy: { teacher: chain[chain.length - 1].accuracy.student_aux, ...byStudentCondition(await evaluate(students, test), k) },
        });
      }
    }

    let oneStep: OneStepResult | undefined;
    if (theorem) {
      phase = 'theorem';
      yield { type: 'phase', phase, message: 'Why it happens: one teacher step, then one student step, from the same start and from another', totalSteps: theorem.models };
      const perModel: ModelOutcome[] = [];
      const phaseStart = performance.now();
      for (let model = 0; model < theorem.models; model++) {
        if (clock.signal?.aborted) throw new Cancelled(model);
        perModel.push(await oneStepForModel(config, device, distillInputs, kernels, model, theorem));
        clock.workDone += oneStepWork(theorem) / theorem.models;
        const now = performance.now();
        const rate = clock.workDone / ((now - clock.startedAt) / 1000);
        yield {
          type: 'progress',
          phase,
          step: model + 1,
          totalSteps: theorem.models,
          stepsPerSecond: (model + 1) / Math.max(1e-9, (now - phaseStart) / 1000),
          fraction: Math.min(1, clock.workDone / clock.totalWork),
          secondsLeft: rate > 0 ? Math.max(0, clock.totalWork - clock.workDone) / rate : null,
        };
      }
      oneStep = combineOneStep(theorem, perModel);
      yield { type: 'theorem', result: oneStep };
    }

    const result: ExperimentResult = {
      config,
      backend: options.backendLabel ?? tf.getBackend(),
      seconds: (performance.now() - clock.startedAt) / 1000,
      conditions,
      curves,
      crossSources: start.cross,
      ...(oneStep && { theorem: oneStep }),
      ...(chain.length > 0 && { chain }),
    };
    yield { type: 'finished', result };
  } catch (error) {
    if (error instanceof Cancelled) yield { type: 'cancelled', phase, step: error.step };
    else yield { type: 'failed', phase, reason: describeError(error) };
  } finally {
    for (const thing of disposables.reverse()) thing.dispose();
  }
}

/**
 * The fixed batches the alignment is measured on: each student's first noise images (those of its
 * teacher's model) and the first training digits, one batch's worth.
 */
function alignmentProbeBatches(
  config: ExperimentConfig,
  device: DeviceData,
  distillInputs: DistillInputs,
  noiseModels: Int32Array,
  auxOnly: readonly boolean[],
): ProbeBatches {
  const batch = Math.min(config.batchSize, config.trainImages, config.noiseImages);
  const rows = noiseModels.length;
  const index = new Int32Array(rows * batch).map((_, i) => i % batch);
  return {
    noise: distillInputs.batch(noiseModels, index, batch),
    trait: {
      input: { kind: 'images', images: device.trainImages, index, batch, host: device.trainPixels },
      labels: { kind: 'labels', labels: device.trainLabels, index, batch },
    },
    auxOnly,
    loss: config.distillLoss,
  };
}

function alignmentPoint(rows: { updateCosine: number[]; distance: number[]; gradientCosine: number[] }, k: number): AlignmentPoint {
  return {
    updateCosine: byStudentCondition(rows.updateCosine, k),
    distance: byStudentCondition(rows.distance, k),
    gradientCosine: byStudentCondition(rows.gradientCosine, k),
  };
}

function pick<K extends string, V>(record: Record<K, V>, keys: readonly K[]): Partial<Record<K, V>> {
  return Object.fromEntries(keys.map((key) => [key, record[key]])) as Partial<Record<K, V>>;
}

export { describeError } from './describeError';
