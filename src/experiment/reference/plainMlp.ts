/**
 * The experiment's MLP in plain JavaScript, float64, one model at a time: the specification that
 * every kernel is held to (the known-answer check, the tests) and the forward pass that reads a
 * drawn digit. Written to be read, like micrograd: loops, no tensors, no tricks.
 *
 * A model is dense layers 784 → hidden… → 10 + m with ReLU between them; its first 10 logits are
 * the classes, the m after them the auxiliary logits. Arrays are row-major: an input batch is
 * [B, 784], a weight matrix [in, out], logits [B, 10 + m].
 */
import { ADAM, CLASS_COUNT, type DistillLoss } from '../config';
import type { DistillTarget } from '../model/conditions';

/** What a forward pass reads: any numbers (the float32 weights of a run read as they are). */
export interface Layers {
  sizes: readonly number[];
  weights: readonly ArrayLike<number>[];
  biases: readonly ArrayLike<number>[];
}

/** A model being trained: its own float64 copy of the parameters. */
export interface PlainMlp extends Layers {
  weights: Float64Array[];
  biases: Float64Array[];
}

/** d(loss)/d(parameter) for every parameter, laid out like the model's. */
export interface Gradients {
  weights: Float64Array[];
  biases: Float64Array[];
}

/** A loss averaged over the batch, and its gradient with respect to the logits [B, 10 + m]. */
export interface LossAndGradient {
  loss: number;
  gradient: Float64Array;
}

/** A float64 copy of a model's parameters (float32 values convert exactly). */
export function plainMlp(sizes: readonly number[], parameters: Omit<Layers, 'sizes'>): PlainMlp {
  return {
    sizes: [...sizes],
    weights: parameters.weights.map((w) => Float64Array.from(w)),
    biases: parameters.biases.map((b) => Float64Array.from(b)),
  };
}

/**
 * Every layer's activation for a batch x [B, 784]: [x, h_1, …, logits], kept for backward.
 * Hidden layers are ReLU(h·W + b); the last layer's output is the raw logits.
 */
export function forward(model: Layers, x: ArrayLike<number>, batch: number): ArrayLike<number>[] {
  const { sizes, weights, biases } = model;
  if (x.length !== batch * sizes[0]) throw new RangeError(`expected ${batch * sizes[0]} inputs, got ${x.length}`);
  const activations: ArrayLike<number>[] = [x];
  let h = x;
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    const [fanIn, fanOut] = [sizes[layer], sizes[layer + 1]];
    const [w, bias] = [weights[layer], biases[layer]];
    const z = new Float64Array(batch * fanOut);
    for (let b = 0; b < batch; b++) {
      const out = b * fanOut;
      for (let j = 0; j < fanOut; j++) z[out + j] = bias[j];
      // Row by row of W: reads the weights in memory order. Zero inputs add nothing (ReLU makes many).
      for (let i = 0; i < fanIn; i++) {
        const value = h[b * fanIn + i];
        if (value === 0) continue;
        for (let j = 0; j < fanOut; j++) z[out + j] += value * w[i * fanOut + j];
      }
    }
    const hidden = layer < sizes.length - 2;
    if (hidden) for (let k = 0; k < z.length; k++) z[k] = Math.max(0, z[k]);
    activations.push(z);
    h = z;
  }
  return activations;
}

/** Softmax of values[from … to) (stable: the largest is subtracted first). */
export function softmax(values: ArrayLike<number>, from = 0, to = values.length): Float64Array {
  let max = -Infinity;
  for (let i = from; i < to; i++) max = Math.max(max, values[i]);
  const exps = new Float64Array(to - from);
  let sum = 0;
  for (let i = from; i < to; i++) sum += exps[i - from] = Math.exp(values[i] - max);
  return exps.map((e) => e / sum);
}

/** log(softmax(values[from … to))), without the underflow of taking the log of a tiny probability. */
export function logSoftmax(values: ArrayLike<number>, from = 0, to = values.length): Float64Array {
  let max = -Infinity;
  for (let i = from; i < to; i++) max = Math.max(max, values[i]);
  let sum = 0;
  for (let i = from; i < to; i++) sum += Math.exp(values[i] - max);
  const logSum = max + Math.log(sum);
  return Float64Array.from({ length: to - from }, (_, k) => values[from + k] - logSum);
}

/**
 * The teacher's loss: cross-entropy of the labels under the softmax of the 10 class logits, mean
 * over the batch. The auxiliary logits take no part (their gradient is exactly zero).
 */
export function crossEntropy(logits: ArrayLike<number>, labels: ArrayLike<number>, batch: number): LossAndGradient {
  const width = logits.length / batch;
  const gradient = new Float64Array(logits.length);
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const row = b * width;
    const logP = logSoftmax(logits, row, row + CLASS_COUNT);
    loss -= logP[labels[b]] / batch;
    // d/dz of −log softmax(z)[label] = softmax(z) − onehot(label).
    for (let c = 0; c < CLASS_COUNT; c++) gradient[row + c] = (Math.exp(logP[c]) - (c === labels[b] ? 1 : 0)) / batch;
  }
  return { loss, gradient };
}

/**
 * A student's loss for imitating its (frozen) teacher on the same inputs, mean over the batch:
 * on the auxiliary logits only (`aux`, columns 10…) or on all logits; either
 * KL(softmax(teacher) ‖ softmax(student)) over those columns, or the mean squared difference of
 * the raw logits (mean over the batch and the compared columns). Other columns get zero gradient.
 */
export function distillation(
  student: ArrayLike<number>,
  teacher: ArrayLike<number>,
  batch: number,
  target: DistillTarget,
  kind: DistillLoss,
): LossAndGradient {
  const width = student.length / batch;
  const first = target === 'aux' ? CLASS_COUNT : 0;
  const compared = width - first;
  const gradient = new Float64Array(student.length);
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const [from, to] = [b * width + first, (b + 1) * width];
    if (kind === 'mse') {
      for (let c = from; c < to; c++) {
        const difference = student[c] - teacher[c];
        loss += (difference * difference) / (batch * compared);
        gradient[c] = (2 * difference) / (batch * compared);
      }
    } else {
      const logP = logSoftmax(teacher, from, to);
      const logQ = logSoftmax(student, from, to);
      // KL = Σ p (log p − log q); d/dz_student = q − p.
      for (let k = 0; k < compared; k++) {
        const p = Math.exp(logP[k]);
        loss += (p * (logP[k] - logQ[k])) / batch;
        gradient[from + k] = (Math.exp(logQ[k]) - p) / batch;
      }
    }
  }
  return { loss, gradient };
}

/** Backpropagation: the gradient of the loss for every parameter, from d(loss)/d(logits). */
export function backward(
  model: PlainMlp,
  activations: readonly ArrayLike<number>[],
  dLogits: Float64Array,
  batch: number,
): Gradients {
  const { sizes, weights } = model;
  const layers = sizes.length - 1;
  const gradients: Gradients = { weights: new Array(layers), biases: new Array(layers) };
  let dz = dLogits; // d(loss)/d(this layer's output before ReLU)
  for (let layer = layers - 1; layer >= 0; layer--) {
    const [fanIn, fanOut] = [sizes[layer], sizes[layer + 1]];
    const h = activations[layer]; // this layer's input
    const [w, dw, db] = [weights[layer], new Float64Array(fanIn * fanOut), new Float64Array(fanOut)];
    const dh = new Float64Array(batch * fanIn);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < fanIn; i++) {
        for (let j = 0; j < fanOut; j++) {
          const g = dz[b * fanOut + j];
          dw[i * fanOut + j] += h[b * fanIn + i] * g; // z = h·W + b
          dh[b * fanIn + i] += g * w[i * fanOut + j];
        }
      }
      for (let j = 0; j < fanOut; j++) db[j] += dz[b * fanOut + j];
    }
    gradients.weights[layer] = dw;
    gradients.biases[layer] = db;
    // Through the previous layer's ReLU: the gradient passes where its output was positive.
    if (layer > 0) dz = dh.map((value, k) => (h[k] > 0 ? value : 0));
  }
  return gradients;
}

/** Adam's running moments for one model, and how many steps it has taken. */
export interface AdamState {
  step: number;
  m: Gradients;
  v: Gradients;
}

export function adamState(model: PlainMlp): AdamState {
  const zeros = (): Gradients => ({
    weights: model.weights.map((w) => new Float64Array(w.length)),
    biases: model.biases.map((b) => new Float64Array(b.length)),
  });
  return { step: 0, m: zeros(), v: zeros() };
}

/** One Adam step (tfjs's form, β and ε from config): p −= lr · m̂ / (√v̂ + ε). */
export function adamStep(model: PlainMlp, gradients: Gradients, state: AdamState, learningRate: number): void {
  state.step++;
  const { beta1, beta2, epsilon } = ADAM;
  const [correction1, correction2] = [1 - beta1 ** state.step, 1 - beta2 ** state.step];
  for (const part of ['weights', 'biases'] as const) {
    model[part].forEach((p, k) => {
      const [g, m, v] = [gradients[part][k], state.m[part][k], state.v[part][k]];
      for (let i = 0; i < p.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
      }
    });
  }
}

/** Forward, loss, backward and one Adam step on a batch; returns the loss before the step. */
export function trainStep(
  model: PlainMlp,
  state: AdamState,
  x: ArrayLike<number>,
  batch: number,
  lossOf: (logits: ArrayLike<number>) => LossAndGradient,
  learningRate: number,
): number {
  const activations = forward(model, x, batch);
  const { loss, gradient } = lossOf(activations[activations.length - 1]);
  adamStep(model, backward(model, activations, gradient, batch), state, learningRate);
  return loss;
}
