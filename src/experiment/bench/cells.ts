/**
 * One benchmark measurement ("cell"): a training step of one kind, on a stack of one size, by one
 * implementation, timed over a few steps after a warm-up, with what it costs the device: kernels
 * and GPU dispatches per step, readbacks per step, bytes held. No Node or DOM here: the command
 * line, its worker threads and the page all measure with this.
 */
import * as tf from '../tf';
import { INPUT_SIZE } from '../config';
import { initialParameters, layerSizes, Stack, type StackMode } from '../model/mlp';
import { createOptimizer, distillStep, teacherStep } from '../reference/train';
import type { LayerInput, StepKernels } from '../step/kernels';
import { StockKernels, materialize } from '../step/stockKernels';
import { StackGroup, groupDistillStep, groupTeacherStep } from '../step/group';
import { STUDENT_CONDITIONS } from '../results';
import { SimdGroup } from '../step/simd/simdGroup';
import { SimdTrainer } from '../step/simd/simdTrainer';

export type StepKind = 'teacher' | 'distill';
/**
 * plain = the engine before the lean step (autodiff, tfjs Adam per variable, gather kernels);
 * simd = the CPU kernel (WebAssembly SIMD, models in its own memory; step/simd/).
 */
export type Variant = 'plain' | 'lean-per-model' | 'lean-batched' | 'lean-webgpu' | 'simd';

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
  /** For plain: how its stacks were computed before (per-model on CPU, batched on GPU). */
  plainMode?: StackMode;
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

/** The step of `spec`, ready to run repeatedly; `dispose` frees everything it made. */
export async function prepareStep(
  spec: CellSpec,
  webGpuKernels?: () => StepKernels,
): Promise<{ step: () => tf.Tensor; dispose: () => void }> {
  const sizes = layerSizes(spec.hidden, spec.auxLogits);
  const models = Array.from({ length: spec.models }, (_, i) => initialParameters(sizes, 0, i));
  const rows = spec.kind === 'teacher' ? spec.models : STUDENT_CONDITIONS.length * spec.models;
  const rowModels = Array.from({ length: rows }, (_, r) => r % spec.models);
  const hostPixels = new Float32Array(IMAGE_POOL * INPUT_SIZE).map((_, i) => ((i * 2654435761) % 1000) / 500 - 1);
  const images = tf.tensor2d(hostPixels, [IMAGE_POOL, INPUT_SIZE]);
  const labels = tf.tensor1d(
    Int32Array.from({ length: IMAGE_POOL }, (_, i) => i % 10),
    'int32',
  );
  let counter = 0;
  const nextIndex = (setSize: number) =>
    Int32Array.from({ length: rows * spec.batch }, (_, i) => (i * 7919 + counter * 104729) % setSize);
  const noiseInput = (): LayerInput => ({
    kind: 'noise',
    noise: 'uniform',
    seed: 0,
    models: Int32Array.from(rowModels),
    index: nextIndex(60000),
    batch: spec.batch,
  });
  const owned: { dispose(): void }[] = [images, labels];

  if (spec.variant === 'plain') {
    const mode = spec.plainMode ?? 'per-model';
    const students = Stack.fromHost(
      sizes,
      rowModels.map((m) => models[m]),
      true,
    );
    const teachers = Stack.fromHost(
      sizes,
      rowModels.map((m) => models[m]),
      false,
    );
    const optimizer = createOptimizer(1e-6);
    owned.push(optimizer, { dispose: () => tf.dispose([...students.tensors(), ...teachers.tensors()]) });
    const step = () => {
      counter++;
      return tf.tidy(() => {
        if (spec.kind === 'teacher') {
          // As the engine did: shuffled indices on the device, images and labels gathered there.
          const index = tf.tensor1d(nextIndex(IMAGE_POOL), 'int32');
          const x = tf.reshape(tf.gather(images, index), [rows, spec.batch, INPUT_SIZE]) as tf.Tensor3D;
          const y = tf.reshape(tf.gather(labels, index), [rows, spec.batch]) as tf.Tensor2D;
          return teacherStep(optimizer, students, x, y, mode);
        }
        const targets = rowModels.map(
          (_, r) => (Math.floor(r / spec.models) % 2 === 0 ? 'aux' : 'all') as 'aux' | 'all',
        );
        return distillStep(optimizer, students, teachers, materialize(noiseInput()), targets, 'kl', mode);
      });
    };
    return { step, dispose: () => owned.forEach((thing) => thing.dispose()) };
  }

  const kernels: StepKernels = spec.variant === 'lean-webgpu' ? webGpuKernels!() : new StockKernels();
  const rowsPerPart = spec.variant === 'lean-per-model' ? 1 : rows;
  let students: StackGroup;
  let teachers: StackGroup;
  let trainer: SimdTrainer | null = null;
  if (spec.variant === 'simd') {
    // The whole step in the CPU kernel; the image pool and labels are copied into its memory once.
    // No teacher-logit cache (set size 0): like the other variants, every step runs the teachers
    // forward (a run computes their logits on the noise set once per phase instead).
    const poolLabels = Int32Array.from({ length: IMAGE_POOL }, (_, i) => i % 10);
    trainer = await SimdTrainer.create(sizes, spec.batch, {
      trainPixels: hostPixels,
      trainLabels: poolLabels,
      testPixels: hostPixels,
      testLabels: poolLabels,
    });
    students = SimdGroup.create(
      trainer,
      rowModels.map((m) => models[m]),
      true,
      0,
    );
    teachers = SimdGroup.create(
      trainer,
      rowModels.map((m) => models[m]),
      false,
      0,
    );
  } else {
    students = StackGroup.fromHost(
      sizes,
      rowModels.map((m) => models[m]),
      true,
      rowsPerPart,
    );
    teachers = StackGroup.fromHost(
      sizes,
      rowModels.map((m) => models[m]),
      false,
      rowsPerPart,
    );
  }
  owned.push(students, teachers, kernels);
  if (trainer) owned.push(trainer);
  const auxOnly = rowModels.map((_, r) => Math.floor(r / spec.models) % 2 === 0);
  const cpu = tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';
  const step = () => {
    counter++;
    if (spec.kind === 'teacher') {
      const index = nextIndex(IMAGE_POOL);
      return groupTeacherStep({
        kernels,
        teacher: students,
        input: { kind: 'images', images, index, batch: spec.batch, host: cpu ? hostPixels : undefined },
        labels: { kind: 'labels', labels, index, batch: spec.batch },
        learningRate: 1e-6,
      });
    }
    return groupDistillStep({
      kernels,
      students,
      teachers,
      input: noiseInput(),
      auxOnly,
      loss: 'kl',
      learningRate: 1e-6,
    });
  };
  return { step, dispose: () => owned.forEach((thing) => thing.dispose()) };
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
