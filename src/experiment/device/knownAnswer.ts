/**
 * Trust, but verify the device: before a backend trains anything, a few steps of a small stack on
 * fixed inputs run on its production step kernels, and their losses and parameters are compared
 * with the same steps done in plain JavaScript (float64). GPUs and drivers have been seen giving
 * gibberish products, or zeros after an update; a backend that disagrees is passed over
 * (backend.ts) rather than trusted with a twenty-minute run.
 *
 * The steps mirror a run: teacher steps on MNIST-like images gathered by index (labels target),
 * then distillation steps on hashed noise (the noise the GPU computes itself), one aux-only row
 * and one all-logits row, KL loss, Adam.
 */
import * as tf from '../tf';
import { ADAM, CLASS_COUNT, INPUT_SIZE } from '../config';
import { describeError } from '../../base/describeError';
import { initialParameters, layerSizes, type HostParameters } from '../model/mlp';
import { PackedStack } from '../step/layout';
import type { LayerInput, StepKernels } from '../step/kernels';
import { packedDistillStep, packedTeacherStep } from '../step/step';
import { writeNoiseImage } from '../inputs/noise';

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
// The reference: the same steps in plain JavaScript, float64.

type Vector = Float64Array;
interface Model {
  weights: Vector[];
  biases: Vector[];
  m: Vector[];
  v: Vector[];
  step: number;
}

const toModel = (host: HostParameters): Model => {
  const weights = host.weights.map((w) => Float64Array.from(w));
  const biases = host.biases.map((b) => Float64Array.from(b));
  return {
    weights,
    biases,
    m: [...weights, ...biases].map((p) => new Float64Array(p.length)),
    v: [...weights, ...biases].map((p) => new Float64Array(p.length)),
    step: 0,
  };
};

/** Every layer's output for a batch x [B, 784]: [h_1, …, logits]. */
function forward(model: Model, x: Vector): Vector[] {
  const outputs: Vector[] = [];
  let h = x;
  for (let layer = 0; layer < SIZES.length - 1; layer++) {
    const [fanIn, fanOut] = [SIZES[layer], SIZES[layer + 1]];
    const z = new Float64Array(BATCH * fanOut);
    const w = model.weights[layer];
    for (let b = 0; b < BATCH; b++) {
      for (let j = 0; j < fanOut; j++) {
        let sum = model.biases[layer][j];
        for (let i = 0; i < fanIn; i++) sum += h[b * fanIn + i] * w[i * fanOut + j];
        z[b * fanOut + j] = layer < SIZES.length - 2 ? Math.max(0, sum) : sum;
      }
    }
    outputs.push(z);
    h = z;
  }
  return outputs;
}

function softmax(values: Vector, from: number, to: number, out: Vector): void {
  let max = -Infinity;
  for (let i = from; i < to; i++) max = Math.max(max, values[i]);
  let sum = 0;
  for (let i = from; i < to; i++) sum += Math.exp(values[i] - max);
  for (let i = from; i < to; i++) out[i] = Math.exp(values[i] - max) / sum;
}

/** d(loss)/d(logits) and the loss: cross-entropy on the class logits, or KL on the compared columns. */
function lossGradient(
  logits: Vector,
  target: { labels: Int32Array } | { teacher: Vector; auxOnly: boolean },
): { gradient: Vector; loss: number } {
  const C = SIZES[SIZES.length - 1];
  const gradient = new Float64Array(BATCH * C);
  const p = new Float64Array(BATCH * C);
  const q = new Float64Array(BATCH * C);
  let loss = 0;
  for (let b = 0; b < BATCH; b++) {
    const row = b * C;
    if ('labels' in target) {
      softmax(logits, row, row + CLASS_COUNT, p);
      const label = target.labels[b];
      loss -= Math.log(p[row + label]) / BATCH;
      for (let c = 0; c < CLASS_COUNT; c++) gradient[row + c] = (p[row + c] - (c === label ? 1 : 0)) / BATCH;
    } else {
      const first = target.auxOnly ? CLASS_COUNT : 0;
      softmax(target.teacher, row + first, row + C, p);
      softmax(logits, row + first, row + C, q);
      for (let c = first; c < C; c++) {
        loss += (p[row + c] * (Math.log(p[row + c]) - Math.log(q[row + c]))) / BATCH;
        gradient[row + c] = (q[row + c] - p[row + c]) / BATCH;
      }
    }
  }
  return { gradient, loss };
}

/** Backpropagation, then one Adam step; returns the loss before the step. */
function trainStep(model: Model, x: Vector, target: Parameters<typeof lossGradient>[1]): number {
  const outputs = forward(model, x);
  const { gradient, loss } = lossGradient(outputs[outputs.length - 1], target);
  const layers = SIZES.length - 1;
  const grads: Vector[] = new Array(2 * layers);
  let dz = gradient;
  for (let layer = layers - 1; layer >= 0; layer--) {
    const [fanIn, fanOut] = [SIZES[layer], SIZES[layer + 1]];
    const h = layer === 0 ? x : outputs[layer - 1];
    const dw = new Float64Array(fanIn * fanOut);
    const db = new Float64Array(fanOut);
    const dh = new Float64Array(BATCH * fanIn);
    for (let b = 0; b < BATCH; b++) {
      for (let j = 0; j < fanOut; j++) {
        const g = dz[b * fanOut + j];
        db[j] += g;
        for (let i = 0; i < fanIn; i++) {
          dw[i * fanOut + j] += h[b * fanIn + i] * g;
          dh[b * fanIn + i] += g * model.weights[layer][i * fanOut + j];
        }
      }
    }
    grads[layer] = dw;
    grads[layers + layer] = db;
    if (layer > 0) dz = dh.map((value, i) => (h[i] > 0 ? value : 0));
  }
  model.step++;
  const params = [...model.weights, ...model.biases];
  params.forEach((p, k) => {
    for (let i = 0; i < p.length; i++) {
      const g = grads[k][i];
      model.m[k][i] = ADAM.beta1 * model.m[k][i] + (1 - ADAM.beta1) * g;
      model.v[k][i] = ADAM.beta2 * model.v[k][i] + (1 - ADAM.beta2) * g * g;
      const mHat = model.m[k][i] / (1 - ADAM.beta1 ** model.step);
      const vHat = model.v[k][i] / (1 - ADAM.beta2 ** model.step);
      p[i] -= (LEARNING_RATE * mHat) / (Math.sqrt(vHat) + ADAM.epsilon);
    }
  });
  return loss;
}

/** Row r's batch of images (at `index`) or of noise, as [B, 784]. */
function rowPixels(
  source: { images: Float32Array } | { noiseModels: readonly number[] },
  index: Int32Array,
  row: number,
): Vector {
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
  const teacherModels = teachers.map(toModel);
  const studentModels = students.map(toModel);
  const losses: number[] = [];
  for (let s = 0; s < TEACHER_STEPS; s++) {
    const index = indexAt(s);
    teacherModels.forEach((model, row) => {
      const rowLabels = Int32Array.from({ length: BATCH }, (_, b) => labels[index[row * BATCH + b]]);
      losses.push(trainStep(model, rowPixels({ images: pixels }, index, row), { labels: rowLabels }));
    });
  }
  for (let s = 0; s < STUDENT_STEPS; s++) {
    const index = indexAt(s);
    studentModels.forEach((model, row) => {
      const x = rowPixels({ noiseModels: [0, 1] }, index, row);
      const teacher = forward(teacherModels[row], x).at(-1)!;
      losses.push(trainStep(model, x, { teacher, auxOnly: AUX_ONLY[row] }));
    });
  }
  const parameters = [...teacherModels, ...studentModels].flatMap((model) =>
    model.weights.flatMap((w, layer) => [...w, ...model.biases[layer]]),
  );
  return { losses, parameters };
}

// ---------------------------------------------------------------------------------------------
// The same steps on the backend's kernels.

async function kernelTrace(
  kernels: StepKernels,
  teachers: HostParameters[],
  students: HostParameters[],
): Promise<Trace> {
  const { pixels, labels } = fixedImages();
  const made: { dispose(): void }[] = [];
  const own = <T extends { dispose(): void }>(thing: T) => (made.push(thing), thing);
  try {
    const images = own(tf.tensor2d(pixels, [IMAGES, INPUT_SIZE]));
    const labelTensor = own(tf.tensor1d(labels, 'int32'));
    const teacher = own(PackedStack.fromHost(SIZES, teachers, true));
    const student = own(PackedStack.fromHost(SIZES, students, true));
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
      const input: LayerInput = { kind: 'images', images, index, batch: BATCH };
      await read(
        packedTeacherStep({
          kernels,
          teacher,
          input,
          labels: { kind: 'labels', labels: labelTensor, index, batch: BATCH },
          learningRate: LEARNING_RATE,
        }),
      );
    }
    const frozen = own(teacher.gather([0, 1]));
    for (let s = 0; s < STUDENT_STEPS; s++) {
      const input: LayerInput = {
        kind: 'noise',
        noise: 'uniform',
        seed: NOISE_SEED,
        models: Int32Array.of(0, 1),
        index: indexAt(s),
        batch: BATCH,
      };
      await read(
        packedDistillStep({
          kernels,
          students: student,
          teachers: frozen,
          input,
          auxOnly: AUX_ONLY,
          loss: 'kl',
          learningRate: LEARNING_RATE,
        }),
      );
    }
    const both = own(tf.concat([teacher.parameters(), student.parameters()].map((p) => own(p))));
    return { losses: lossValues.flat(), parameters: Array.from(await both.data()) };
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
 * Runs the check on the current tfjs backend with `kernels` (its production kernels). Never
 * throws: a kernel that throws is a failed check, with its error as the reason. Leaves no tensor.
 */
export async function knownAnswerCheck(kernels: StepKernels): Promise<KnownAnswerResult> {
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
    trace = await kernelTrace(kernels, teachers, students);
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
