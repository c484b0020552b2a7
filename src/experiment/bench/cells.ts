/**
 * One benchmark measurement ("cell"): a training step of one kind, on a stack of one size, by one
 * implementation, timed over a few steps after a warm-up, with what it costs the device: kernels
 * and GPU dispatches per step, readbacks per step, bytes held. No Node or DOM here: the command
 * line, its worker threads and the page all measure with this.
 */
import * as tf from '../tf';
import { INPUT_SIZE } from '../config';
import { initialParameters, layerSizes, Stack, type HostParameters, type StackMode } from '../model/mlp';
import { createOptimizer, distillStep, teacherStep } from '../reference/train';
import type { LayerInput, StepKernels } from '../step/kernels';
import { StockKernels, materialize } from '../step/stockKernels';
import { groupMaker, type TrainingPath } from '../step/trainingPath';
import { instantiateStep } from '../step/simd/stepModule';
import { loadSimdKernel } from '../step/simd/simdRun';
import { STUDENT_CONDITIONS } from '../results';

export type StepKind = 'teacher' | 'distill';
/**
 * autodiff = the reference step (tfjs autodiff, tfjs Adam per variable, gather kernels);
 * stock-* = the hand-written step on stock ops, model by model or batched; webgpu = on the WGSL
 * programs; simd = the CPU kernel (WebAssembly SIMD, models in its own memory; step/simd/), in
 * the build a run gets (relaxed SIMD where the runtime has it); simd-plain = its plain-SIMD build.
 */
export type Variant = 'autodiff' | 'stock-per-model' | 'stock-batched' | 'webgpu' | 'simd' | 'simd-plain';

export interface CellSpec {
  kind: StepKind;
  variant: Variant;
  /** Models in the stack; a distillation step trains their 4 students each. */
  models: number;
  batch: number;
  hidden: number[];
  auxLogits: number;
  /** Timed steps after the warm-up (fewer when a step is slow, see `budgetSeconds`). */
  steps: number;
  /** Stop timing after this many seconds (at least one timed step is kept). */
  budgetSeconds: number;
  /** For autodiff: how its stacks are computed (per-model on CPU, batched on GPU). */
  autodiffMode?: StackMode;
}

export interface CellResult {
  spec: CellSpec;
  /** Rows the step trains: models (teacher) or 4 × models (students). */
  rows: number;
  secondsPerStep: number;
  modelSamplesPerSecond: number;
  /** tfjs kernels run per step (every backend). */
  kernelsPerStep: number;
  /** Compute dispatches per step (webgpu only; null elsewhere). */
  dispatchesPerStep: number | null;
  /** Reads from the GPU to the host per step (null on CPU backends, where kernels read memory directly). */
  readbacksPerStep: number | null;
  /** Bytes of live tensors after a step, and on webgpu the bytes the backend holds in GPU buffers. */
  tensorBytes: number;
  gpuBytes: number | null;
  timedSteps: number;
}

/** Counts kernels, GPU dispatches and readbacks while `f` runs. */
export function countWork<T>(f: () => T): {
  value: T;
  kernels: number;
  dispatches: number | null;
  readbacks: number | null;
} {
  const engine = tf.engine() as unknown as { runKernel: (...args: unknown[]) => unknown };
  const backend = tf.backend() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const counts = { kernels: 0, dispatches: 0, readbacks: 0 };
  const restore: (() => void)[] = [];
  const wrap = (
    target: Record<string, (...args: unknown[]) => unknown>,
    name: string,
    counter: keyof typeof counts,
  ) => {
    const original = target[name];
    if (typeof original !== 'function') return false;
    target[name] = function (this: unknown, ...args: unknown[]) {
      counts[counter]++;
      return original.apply(this, args);
    };
    restore.push(() => (target[name] = original));
    return true;
  };
  wrap(engine as unknown as Record<string, (...args: unknown[]) => unknown>, 'runKernel', 'kernels');
  const gpu = tf.getBackend() === 'webgpu' && wrap(backend, 'recordAndSubmit', 'dispatches');
  // On wasm and cpu every kernel "reads" its inputs through readSync; only a GPU has readbacks.
  const device = tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';
  if (device) {
    wrap(backend, 'read', 'readbacks');
    wrap(backend, 'readSync', 'readbacks');
  }
  try {
    const value = f();
    return {
      value,
      kernels: counts.kernels,
      dispatches: gpu ? counts.dispatches : null,
      readbacks: device ? counts.readbacks : null,
    };
  } finally {
    restore.reverse().forEach((undo) => undo());
  }
}

const IMAGE_POOL = 4096;

/** A cell's step, ready to run repeatedly; `dispose` frees everything it made. */
interface PreparedStep {
  step: () => tf.Tensor;
  dispose: () => void;
}

/** What every variant's step is made from: models, a fixed image pool and a walk through it. */
class CellInputs {
  readonly sizes: number[];
  readonly models: HostParameters[];
  readonly rows: number;
  /** Row r trains (or imitates) model rowModels[r]. */
  readonly rowModels: number[];
  readonly hostPixels: Float32Array;
  readonly poolLabels: Int32Array;
  readonly images: tf.Tensor2D;
  readonly labels: tf.Tensor1D;
  private counter = 0;

  constructor(readonly spec: CellSpec) {
    this.sizes = layerSizes(spec.hidden, spec.auxLogits);
    this.models = Array.from({ length: spec.models }, (_, i) => initialParameters(this.sizes, 0, i));
    this.rows = spec.kind === 'teacher' ? spec.models : STUDENT_CONDITIONS.length * spec.models;
    this.rowModels = Array.from({ length: this.rows }, (_, r) => r % spec.models);
    this.hostPixels = new Float32Array(IMAGE_POOL * INPUT_SIZE).map((_, i) => ((i * 2654435761) % 1000) / 500 - 1);
    this.poolLabels = Int32Array.from({ length: IMAGE_POOL }, (_, i) => i % 10);
    this.images = tf.tensor2d(this.hostPixels, [IMAGE_POOL, INPUT_SIZE]);
    this.labels = tf.tensor1d(this.poolLabels, 'int32');
  }

  /** Every row's models, in row order. */
  rowParameters(): HostParameters[] {
    return this.rowModels.map((m) => this.models[m]);
  }

  /** Alternating blocks: aux-only, all logits, aux-only, all logits. */
  auxOnly(): boolean[] {
    return this.rowModels.map((_, r) => Math.floor(r / this.spec.models) % 2 === 0);
  }

  /** The next step's sample indices into a set of `setSize`. */
  nextIndex(setSize: number): Int32Array {
    this.counter++;
    return Int32Array.from(
      { length: this.rows * this.spec.batch },
      (_, i) => (i * 7919 + this.counter * 104729) % setSize,
    );
  }

  noiseInput(): LayerInput {
    return {
      kind: 'noise',
      noise: 'uniform',
      seed: 0,
      models: Int32Array.from(this.rowModels),
      index: this.nextIndex(60000),
      batch: this.spec.batch,
    };
  }

  dispose(): void {
    tf.dispose([this.images, this.labels]);
  }
}

/** The step of `spec`, ready to run repeatedly; `dispose` frees everything it made. */
export async function prepareStep(spec: CellSpec, webGpuKernels?: () => StepKernels): Promise<PreparedStep> {
  const inputs = new CellInputs(spec);
  try {
    return spec.variant === 'autodiff' ? autodiffStep(inputs) : await groupStep(inputs, webGpuKernels);
  } catch (error) {
    inputs.dispose();
    throw error;
  }
}

/** The reference step: tfjs autodiff and tfjs Adam over a plain stack, inputs gathered on the device. */
function autodiffStep(inputs: CellInputs): PreparedStep {
  const { spec, sizes, rows, images, labels } = inputs;
  const mode = spec.autodiffMode ?? 'per-model';
  const students = Stack.fromHost(sizes, inputs.rowParameters(), true);
  const teachers = Stack.fromHost(sizes, inputs.rowParameters(), false);
  const optimizer = createOptimizer(1e-6);
  const targets = inputs.auxOnly().map((aux) => (aux ? 'aux' : 'all') as 'aux' | 'all');
  const step = () =>
    tf.tidy(() => {
      if (spec.kind === 'teacher') {
        const index = tf.tensor1d(inputs.nextIndex(IMAGE_POOL), 'int32');
        const x = tf.reshape(tf.gather(images, index), [rows, spec.batch, INPUT_SIZE]) as tf.Tensor3D;
        const y = tf.reshape(tf.gather(labels, index), [rows, spec.batch]) as tf.Tensor2D;
        return teacherStep(optimizer, students, x, y, mode);
      }
      return distillStep(optimizer, students, teachers, materialize(inputs.noiseInput()), targets, 'kl', mode);
    });
  const dispose = () => {
    optimizer.dispose();
    tf.dispose([...students.tensors(), ...teachers.tensors()]);
    inputs.dispose();
  };
  return { step, dispose };
}

/** The hand-written step on a model group: stock ops, WGSL programs or the CPU kernel. */
async function groupStep(inputs: CellInputs, webGpuKernels?: () => StepKernels): Promise<PreparedStep> {
  const { spec } = inputs;
  const made = await cellGroups(inputs, webGpuKernels);
  const { students, teachers } = made;
  const auxOnly = inputs.auxOnly();
  const cpu = tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';
  const step = () => {
    if (spec.kind === 'teacher') {
      const index = inputs.nextIndex(IMAGE_POOL);
      const host = cpu ? inputs.hostPixels : undefined;
      return students.teacherStep({
        input: { kind: 'images', images: inputs.images, index, batch: spec.batch, host },
        labels: { kind: 'labels', labels: inputs.labels, index, batch: spec.batch },
        learningRate: 1e-6,
      });
    }
    return students.distillStep({ teachers, input: inputs.noiseInput(), auxOnly, loss: 'kl', learningRate: 1e-6 });
  };
  return { step, dispose: () => (made.dispose(), inputs.dispose()) };
}

/** The cell's students (trainable) and teachers (frozen) on the variant's path. */
async function cellGroups(inputs: CellInputs, webGpuKernels?: () => StepKernels) {
  const { spec, sizes } = inputs;
  const kernels: StepKernels = spec.variant === 'webgpu' ? webGpuKernels!() : new StockKernels();
  const simd =
    spec.variant === 'simd'
      ? await loadSimdKernel()
      : spec.variant === 'simd-plain'
        ? await instantiateStep('simd128')
        : null;
  if (spec.variant.startsWith('simd') && !simd) throw new Error('the CPU kernel (WebAssembly SIMD) cannot load here');
  const mode: StackMode = spec.variant === 'stock-per-model' ? 'per-model' : 'batched';
  const path: TrainingPath = { name: simd ? 'simd' : 'stock', mode, kernels, simd, dispose: () => kernels.dispose() };
  // The CPU kernel gets the image pool as its data. No teacher-logit cache (set size 0): like the
  // other variants, every step runs the teachers forward (a run computes them once per phase).
  const maker = groupMaker(path, {
    sizes,
    batchSize: spec.batch,
    noiseSetSize: 0,
    simdData: () => ({
      trainPixels: inputs.hostPixels,
      trainLabels: inputs.poolLabels,
      testPixels: inputs.hostPixels,
      testLabels: inputs.poolLabels,
    }),
    tests: null,
  });
  const students = maker.make(inputs.rowParameters(), true);
  const teachers = maker.make(inputs.rowParameters(), false);
  const dispose = () => {
    students.dispose();
    teachers.dispose();
    maker.dispose();
    path.dispose();
  };
  return { students, teachers, dispose };
}

/** Runs a cell: a warm-up step, a counted step, then timed steps within the budget. */
export async function measureCell(
  spec: CellSpec,
  webGpuKernels?: () => StepKernels,
  beforeTiming?: () => Promise<void>,
): Promise<CellResult> {
  const tensorsBefore = tf.memory().numTensors;
  const { step, dispose } = await prepareStep(spec, webGpuKernels);
  let result: CellResult;
  try {
    const warm = step();
    await warm.data();
    warm.dispose();
    const counted = countWork(step);
    await counted.value.data();
    counted.value.dispose();
    const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
    const tensorBytes = memory.numBytes;
    const gpuBytes = memory.numBytesInGPU ?? null;
    await beforeTiming?.();
    const start = performance.now();
    let timedSteps = 0;
    let last: tf.Tensor | null = null;
    while (timedSteps < spec.steps) {
      last?.dispose();
      last = step();
      timedSteps++;
      // Steps queue on a GPU; waiting only every few steps keeps the queue full, as a run does.
      if (timedSteps % 4 === 0 || timedSteps === spec.steps) await last.data();
      if ((performance.now() - start) / 1000 > spec.budgetSeconds) {
        await last.data();
        break;
      }
    }
    last?.dispose();
    const seconds = (performance.now() - start) / 1000 / timedSteps;
    const rows = spec.kind === 'teacher' ? spec.models : STUDENT_CONDITIONS.length * spec.models;
    result = {
      spec,
      rows,
      secondsPerStep: seconds,
      modelSamplesPerSecond: (rows * spec.batch) / seconds,
      kernelsPerStep: counted.kernels,
      dispatchesPerStep: counted.dispatches,
      readbacksPerStep: counted.readbacks,
      tensorBytes,
      gpuBytes,
      timedSteps,
    };
  } finally {
    dispose();
  }
  // Checked after a cell that worked: a throw inside finally would hide a failing cell's own error.
  if (tf.memory().numTensors !== tensorsBefore)
    throw new Error(`benchmark leaked ${tf.memory().numTensors - tensorsBefore} tensors`);
  return result;
}

export const PAPER_SHAPE = { hidden: [256, 256], auxLogits: 3, batch: 1024 } as const;
