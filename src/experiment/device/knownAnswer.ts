/**
 * Trust, but verify the device: before a backend trains anything, a few steps of a small stack on
 * fixed inputs run along the training path a run there would take (step/trainingPath.ts: the
 * SIMD kernel on wasm and cpu, the WGSL programs on webgpu, stock ops otherwise), and their losses
 * and parameters are compared with the same steps on the plain float64 MLP, the specification
 * (../reference/plainMlp.ts). GPUs and drivers have been seen giving
 * gibberish products, or zeros after an update; a backend that disagrees is passed over
 * (backend.ts) rather than trusted with a twenty-minute run.
 *
 * The steps mirror a run: teacher steps on MNIST-like images gathered by index (labels target),
 * then distillation steps on hashed noise (the noise the GPU computes itself), one aux-only row
 * and one all-logits row, KL loss, Adam.
 */
import * as tf from '../tf';
import { CLASS_COUNT, INPUT_SIZE } from '../config';
import { describeError } from '../../base/describeError';
import { initialParameters, layerSizes, type HostParameters } from '../model/mlp';
import type { LayerInput } from '../step/kernels';
import { groupMaker, isCpuBackend, type TrainingPath } from '../step/trainingPath';
import { writeNoiseImage } from '../inputs/noise';
import { adamState, crossEntropy, distillation, forward, plainMlp, trainStep } from '../reference/plainMlp';

const SIZES = layerSizes([16, 16], 3);
const ROWS = 2;
const BATCH = 16;
const IMAGES = 32;
const TEACHER_STEPS = 3;
const STUDENT_STEPS = 2;
const AUX_ONLY = [true, false];
const NOISE_SEED = 7;
/**
 * Large enough that training moves every parameter well past the tolerance; small enough that a
 * near-cancelling gradient (Adam moves it by ~lr whatever its sign) rarely matters, and the few
 * that do are allowed for below.
 */
const LEARNING_RATE = 1e-3;
/** The tolerance the kernel tests hold implementations to (step-stock, webgpu-kernels). */
export const KNOWN_ANSWER_TOLERANCE = 1e-4;
/** Parameters allowed past the tolerance (float32 rounding flipping a near-zero gradient's sign). */
const OUTLIERS = 0.001;

export interface KnownAnswerResult {
  ok: boolean;
  /** Why the backend is not trusted (absent when ok). */
  reason?: string;
  /** Largest loss difference, and largest parameter difference, against the reference. */
  lossError: number;
  parameterError: number;
  milliseconds: number;
}

/** Fixed pixels in [-1, 1] and labels: a pattern, not data, so the check needs no download. */
function fixedImages(): { pixels: Float32Array; labels: Int32Array } {
  const pixels = new Float32Array(IMAGES * INPUT_SIZE).map(
    (_, i) => Math.sin(i * 0.7 + Math.floor(i / INPUT_SIZE)) * 0.9,
  );
  const labels = Int32Array.from({ length: IMAGES }, (_, i) => (i * 7) % CLASS_COUNT);
  return { pixels, labels };
}

/** Row r's sample indices at step s: a fixed walk through the images. */
const indexAt = (step: number) => Int32Array.from({ length: ROWS * BATCH }, (_, i) => (i * 5 + step * 3) % IMAGES);

// ---------------------------------------------------------------------------------------------
// The reference: the same steps on the plain float64 MLP (../reference/plainMlp.ts).

/** Row r's batch of images (at `index`) or of noise, as [B, 784]. */
function rowPixels(
  source: { images: Float32Array } | { noiseModels: readonly number[] },
  index: Int32Array,
  row: number,
): Float64Array {
  const x = new Float32Array(BATCH * INPUT_SIZE);
  for (let b = 0; b < BATCH; b++) {
    const image = index[row * BATCH + b];
    if ('images' in source) x.set(source.images.subarray(image * INPUT_SIZE, (image + 1) * INPUT_SIZE), b * INPUT_SIZE);
    else writeNoiseImage(x, b * INPUT_SIZE, NOISE_SEED, source.noiseModels[row], image, 'uniform');
  }
  return Float64Array.from(x);
}

interface Trace {
  losses: number[];
  /** Teachers' then students' parameters, each row in the packed layout. */
  parameters: number[];
}

function referenceTrace(teachers: HostParameters[], students: HostParameters[]): Trace {
  const { pixels, labels } = fixedImages();
  const trainee = (host: HostParameters) => {
    const model = plainMlp(SIZES, host);
    return { model, adam: adamState(model) };
  };
  const teacherModels = teachers.map(trainee);
  const studentModels = students.map(trainee);
  const losses: number[] = [];
  for (let s = 0; s < TEACHER_STEPS; s++) {
    const index = indexAt(s);
    teacherModels.forEach(({ model, adam }, row) => {
      const rowLabels = Int32Array.from({ length: BATCH }, (_, b) => labels[index[row * BATCH + b]]);
      const x = rowPixels({ images: pixels }, index, row);
      const loss = (logits: ArrayLike<number>) => crossEntropy(logits, rowLabels, BATCH);
      losses.push(trainStep(model, adam, x, BATCH, loss, LEARNING_RATE));
    });
  }
  for (let s = 0; s < STUDENT_STEPS; s++) {
    const index = indexAt(s);
    studentModels.forEach(({ model, adam }, row) => {
      const x = rowPixels({ noiseModels: [0, 1] }, index, row);
      const teacher = forward(teacherModels[row].model, x, BATCH).at(-1)!;
      const target = AUX_ONLY[row] ? 'aux' : 'all';
      const loss = (logits: ArrayLike<number>) => distillation(logits, teacher, BATCH, target, 'kl');
      losses.push(trainStep(model, adam, x, BATCH, loss, LEARNING_RATE));
    });
  }
  const parameters = [...teacherModels, ...studentModels].flatMap(({ model }) =>
    model.weights.flatMap((w, layer) => [...w, ...model.biases[layer]]),
  );
  return { losses, parameters };
}

// ---------------------------------------------------------------------------------------------
// The same steps on the path's model groups (tensor kernels or the CPU kernel).

async function pathTrace(path: TrainingPath, teachers: HostParameters[], students: HostParameters[]): Promise<Trace> {
  const { pixels, labels } = fixedImages();
  const made: { dispose(): void }[] = [];
  const own = <T extends { dispose(): void }>(thing: T) => (made.push(thing), thing);
  try {
    const images = own(tf.tensor2d(pixels, [IMAGES, INPUT_SIZE]));
    const labelTensor = own(tf.tensor1d(labels, 'int32'));
    const groups = own(
      groupMaker(path, {
        sizes: SIZES,
        batchSize: BATCH,
        noiseSetSize: IMAGES,
        simdData: () => ({ trainPixels: pixels, trainLabels: labels, testPixels: pixels, testLabels: labels }),
        tests: null,
      }),
    );
    const teacher = own(groups.make(teachers, true));
    // As in a run: CPU backends gather digits from host pixels, GPUs from the uploaded images.
    const host = isCpuBackend(tf.getBackend()) ? pixels : undefined;
    const lossValues: number[][] = [];
    const read = async (loss: tf.Tensor1D) => {
      try {
        lossValues.push(Array.from(await loss.data()));
      } finally {
        loss.dispose();
      }
    };
    for (let s = 0; s < TEACHER_STEPS; s++) {
      const index = indexAt(s);
      const input: LayerInput = { kind: 'images', images, index, batch: BATCH, host };
      const target = { kind: 'labels' as const, labels: labelTensor, index, batch: BATCH };
      await read(teacher.teacherStep({ input, labels: target, learningRate: LEARNING_RATE }));
    }
    const trained = await teacher.read();
    const frozen = own(groups.make(trained, false));
    const student = own(groups.make(students, true));
    for (let s = 0; s < STUDENT_STEPS; s++) {
      const input: LayerInput = {
        kind: 'noise',
        noise: 'uniform',
        seed: NOISE_SEED,
        models: Int32Array.of(0, 1),
        index: indexAt(s),
        batch: BATCH,
      };
      const step = { teachers: frozen, input, auxOnly: AUX_ONLY, loss: 'kl' as const, learningRate: LEARNING_RATE };
      await read(student.distillStep(step));
    }
    const parameters = [...trained, ...(await student.read())].flatMap((model) =>
      model.weights.flatMap((w, layer) => [...w, ...model.biases[layer]]),
    );
    return { losses: lossValues.flat(), parameters };
  } finally {
    made.reverse().forEach((thing) => thing.dispose());
  }
}

function largestDifference(a: readonly number[], b: readonly number[]): { largest: number; outliers: number } {
  let largest = 0;
  let outliers = 0;
  for (let i = 0; i < a.length; i++) {
    const difference = Math.abs(a[i] - b[i]);
    // NaN compares false both ways: count it as the worst.
    if (!(difference <= KNOWN_ANSWER_TOLERANCE)) outliers++;
    largest = Number.isNaN(difference) ? Infinity : Math.max(largest, difference);
  }
  return { largest, outliers };
}

let reference: Trace | null = null;

/**
 * Runs the check on the current tfjs backend along `path`, the path a run there trains on. Never
 * throws: a kernel that throws is a failed check, with its error as the reason. Leaves no tensor.
 */
export async function knownAnswerCheck(path: TrainingPath): Promise<KnownAnswerResult> {
  const started = performance.now();
  const teachers = [0, 1].map((i) => initialParameters(SIZES, 11, i));
  const students = [0, 1].map((i) => initialParameters(SIZES, 12, i));
  reference ??= referenceTrace(teachers, students);
  const result = (ok: boolean, lossError: number, parameterError: number, reason?: string): KnownAnswerResult => ({
    ok,
    ...(reason && { reason }),
    lossError,
    parameterError,
    milliseconds: performance.now() - started,
  });
  let trace: Trace;
  try {
    trace = await pathTrace(path, teachers, students);
  } catch (error) {
    return result(false, Infinity, Infinity, `its known-answer check failed: ${describeError(error)}`);
  }
  const losses = largestDifference(trace.losses, reference.losses);
  const parameters = largestDifference(trace.parameters, reference.parameters);
  if (trace.losses.length !== reference.losses.length || trace.parameters.length !== reference.parameters.length) {
    return result(false, Infinity, Infinity, 'its known-answer check returned the wrong number of values');
  }
  if (losses.outliers > 0) {
    return result(
      false,
      losses.largest,
      parameters.largest,
      `it computed wrong numbers in a known-answer check (losses off by up to ${losses.largest.toPrecision(2)}, allowed ${KNOWN_ANSWER_TOLERANCE})`,
    );
  }
  if (parameters.outliers > OUTLIERS * trace.parameters.length) {
    return result(
      false,
      losses.largest,
      parameters.largest,
      `it computed wrong numbers in a known-answer check (${parameters.outliers} of ${trace.parameters.length} parameters off by up to ${parameters.largest.toPrecision(2)}, allowed ${KNOWN_ANSWER_TOLERANCE})`,
    );
  }
  return result(true, losses.largest, parameters.largest);
}
