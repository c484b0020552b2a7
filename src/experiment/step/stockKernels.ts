/**
 * The training step on stock tfjs ops: works on every backend and is the reference the WebGPU
 * programs are tested against. Products are batched over the stack's rows; to go model by model
 * (faster on wasm), train a group of one-model stacks (`group.ts`).
 */
import * as tf from '../tf';
import { CLASS_COUNT, INPUT_SIZE } from '../config';
import { writeNoiseImage } from '../inputs/noise';
import { FIRST_MOMENT, PARAMS, SECOND_MOMENT, type PackedStack } from './layout';
import type { AdamSettings, LayerInput, LossTarget, StepKernels } from './kernels';

/** The first layer's input on the host, [R * B * 784], when it can be made there without the device. */
function hostInput(input: LayerInput): Float32Array | null {
  if (input.kind === 'images' && input.host) {
    const host = input.host;
    const pixels = new Float32Array(input.index.length * INPUT_SIZE);
    input.index.forEach((image, sample) =>
      pixels.set(host.subarray(image * INPUT_SIZE, (image + 1) * INPUT_SIZE), sample * INPUT_SIZE),
    );
    return pixels;
  }
  if (input.kind === 'noise') {
    const pixels = new Float32Array(input.index.length * INPUT_SIZE);
    for (let row = 0; row < input.models.length; row++) {
      for (let b = 0; b < input.batch; b++) {
        const sample = row * input.batch + b;
        writeNoiseImage(pixels, sample * INPUT_SIZE, input.seed, input.models[row], input.index[sample], input.noise);
      }
    }
    return pixels;
  }
  return null;
}

const rowsOf = (input: LayerInput) => (input.kind === 'tensor' ? input.x.shape[0] : input.index.length / input.batch);
const batchOf = (input: LayerInput) => (input.kind === 'tensor' ? input.x.shape[1] : input.batch);

/** The first layer's input as a tensor [R, B, 784]. */
export function materialize(input: LayerInput): tf.Tensor3D {
  if (input.kind === 'tensor') return tf.clone(input.x);
  const pixels = hostInput(input);
  if (pixels) return tf.tensor3d(pixels, [rowsOf(input), batchOf(input), INPUT_SIZE]);
  return tf.tidy(() => {
    const index = tf.tensor1d(input.index, 'int32');
    const images = (input as Extract<LayerInput, { kind: 'images' }>).images;
    return tf.reshape(tf.gather(images, index), [rowsOf(input), batchOf(input), INPUT_SIZE]);
  });
}

/**
 * [R, B, n] on the host → [R, n, B]: a transpose in JavaScript, in cache-sized blocks, is cheaper
 * than wasm's Transpose kernel (5 ms against 14 ms for a 1024 × 784 batch).
 */
function transposeRows(pixels: Float32Array, rows: number, batch: number, width: number): Float32Array {
  const out = new Float32Array(pixels.length);
  const BLOCK = 32;
  for (let row = 0; row < rows; row++) {
    const base = row * batch * width;
    for (let b0 = 0; b0 < batch; b0 += BLOCK) {
      for (let i0 = 0; i0 < width; i0 += BLOCK) {
        for (let b = b0; b < Math.min(b0 + BLOCK, batch); b++) {
          const from = base + b * width;
          for (let i = i0; i < Math.min(i0 + BLOCK, width); i++) out[base + i * batch + b] = pixels[from + i];
        }
      }
    }
  }
  return out;
}

/** A tensor whose last two axes are swapped, as an explicit copy (wasm's transposed matMul is slow). */
const transposed = (t: tf.Tensor3D) => tf.transpose(t, [0, 2, 1]) as tf.Tensor3D;

export class StockKernels implements StepKernels {
  /** The first layer's input (and its transpose), made once per input and shared by the passes. */
  private readonly inputs = new WeakMap<
    LayerInput,
    { x: tf.Tensor3D; xT: tf.Tensor3D | null; host: Float32Array | null }
  >();
  /** Each layer's weights and biases cut from a stack's state, once per state tensor. */
  private readonly layers = new WeakMap<tf.Tensor, { w: tf.Tensor3D; b: tf.Tensor3D }[]>();

  readonly name = 'stock tfjs ops';

  /** Callers own the results through the enclosing tidy (the step's). */
  private inputTensor(input: LayerInput): tf.Tensor3D {
    const cached = this.inputs.get(input);
    if (cached && !cached.x.isDisposed) return cached.x;
    const host = hostInput(input);
    const x = host ? tf.tensor3d(host, [rowsOf(input), batchOf(input), INPUT_SIZE]) : materialize(input);
    this.inputs.set(input, { x, xT: null, host });
    return x;
  }

  /** The input with its last two axes swapped [R, 784, B], for the first layer's weight gradient. */
  private inputTransposed(input: LayerInput): tf.Tensor3D {
    const x = this.inputTensor(input);
    const cached = this.inputs.get(input)!;
    if (cached.xT && !cached.xT.isDisposed) return cached.xT;
    cached.xT = cached.host
      ? tf.tensor3d(transposeRows(cached.host, rowsOf(input), batchOf(input), INPUT_SIZE), [
          rowsOf(input),
          INPUT_SIZE,
          batchOf(input),
        ])
      : transposed(x);
    return cached.xT;
  }

  /**
   * Layer `layer`'s weights [R, in, out] and biases [R, 1, out]. Cut once per state: on wasm a
   * slice copies its whole source first, so cutting every layer from the big state costs more.
   */
  private layerParameters(stack: PackedStack, layer: number): { w: tf.Tensor3D; b: tf.Tensor3D } {
    const cached = this.layers.get(stack.state);
    if (cached && !cached[layer].w.isDisposed) return cached[layer];
    const { sizes, perModel } = stack.layout;
    const rows = stack.rows;
    const params = tf.reshape(tf.slice(stack.state, [PARAMS, 0, 0], [1, rows, perModel]), [rows, perModel]);
    const pieces = tf.split(
      params,
      sizes.slice(1).flatMap((out, l) => [sizes[l] * out, out]),
      1,
    );
    params.dispose();
    const layers = sizes.slice(1).map((out, l) => ({
      w: tf.reshape(pieces[2 * l], [rows, sizes[l], out]) as tf.Tensor3D,
      b: tf.reshape(pieces[2 * l + 1], [rows, 1, out]) as tf.Tensor3D,
    }));
    tf.dispose(pieces);
    this.layers.set(stack.state, layers);
    return layers[layer];
  }

  forward(stack: PackedStack, input: LayerInput): tf.Tensor3D[] {
    const activations: tf.Tensor3D[] = [];
    const layers = stack.layout.sizes.length - 1;
    let h = this.inputTensor(input);
    for (let layer = 0; layer < layers; layer++) {
      const { w, b } = this.layerParameters(stack, layer);
      const next = tf.tidy(() => {
        const z = tf.add(tf.matMul(h, w), b) as tf.Tensor3D;
        return layer < layers - 1 ? (tf.relu(z) as tf.Tensor3D) : z;
      });
      activations.push(next);
      h = next;
    }
    return activations;
  }

  lossGradient(logits: tf.Tensor3D, target: LossTarget): { gradient: tf.Tensor3D; loss: tf.Tensor1D } {
    return tf.tidy(() => (target.kind === 'labels' ? crossEntropy(logits, target) : imitation(logits, target)));
  }

  parameterGradient(
    stack: PackedStack,
    input: LayerInput,
    activations: tf.Tensor3D[],
    logitGradient: tf.Tensor3D,
  ): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = stack.rows;
      const layers = activations.length;
      const pieces: tf.Tensor2D[] = [];
      let dz = logitGradient;
      for (let layer = layers - 1; layer >= 0; layer--) {
        const xT = layer === 0 ? this.inputTransposed(input) : transposed(activations[layer - 1]);
        const dw = tf.matMul(xT, dz);
        const db = tf.sum(dz, 1);
        pieces.unshift(tf.reshape(dw, [rows, -1]) as tf.Tensor2D, db as tf.Tensor2D);
        if (layer > 0) {
          const { w } = this.layerParameters(stack, layer);
          // ReLU's derivative is 1 where its output is positive, else 0.
          dz = tf.mul(tf.matMul(dz, transposed(w)), tf.step(activations[layer - 1])) as tf.Tensor3D;
        }
      }
      return tf.concat(pieces, 1);
    });
  }

  adam(stack: PackedStack, gradient: tf.Tensor2D, s: AdamSettings): void {
    const next = tf.tidy(() => {
      const plane = (index: number) => tf.squeeze(tf.slice(stack.state, [index, 0, 0], [1, -1, -1]), [0]);
      const [p, m, v] = [plane(PARAMS), plane(FIRST_MOMENT), plane(SECOND_MOMENT)];
      const m1 = tf.add(tf.mul(m, s.beta1), tf.mul(gradient, 1 - s.beta1));
      const v1 = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(gradient), 1 - s.beta2));
      const mHat = tf.div(m1, 1 - s.beta1 ** s.step);
      const vHat = tf.div(v1, 1 - s.beta2 ** s.step);
      const p1 = tf.sub(p, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), s.epsilon)), s.learningRate));
      return tf.stack([p1, m1, v1]) as tf.Tensor3D;
    });
    stack.replaceState(tf.keep(next));
  }

  dispose(): void {}
}

/** Teacher loss: cross-entropy on the class logits; zero gradient on the auxiliary ones. */
function crossEntropy(logits: tf.Tensor3D, target: Extract<LossTarget, { kind: 'labels' }>) {
  const [rows, batch, width] = logits.shape;
  const classLogits = tf.slice(logits, [0, 0, 0], [rows, batch, CLASS_COUNT]);
  const labels = tf.reshape(tf.gather(target.labels, tf.tensor1d(target.index, 'int32')), [rows, batch]);
  const oneHot = tf.oneHot(labels as tf.Tensor2D, CLASS_COUNT);
  const loss = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(classLogits)), -1), -1)) as tf.Tensor1D;
  const classGradient = tf.div(tf.sub(tf.softmax(classLogits), oneHot), batch);
  const gradient = tf.concat([classGradient, tf.zeros([rows, batch, width - CLASS_COUNT])], -1) as tf.Tensor3D;
  return { gradient, loss };
}

/** Student loss on the compared columns (aux or all), padded with zero gradient elsewhere. */
function imitationOn(student: tf.Tensor3D, teacher: tf.Tensor3D, auxOnly: boolean, loss: 'kl' | 'mse') {
  const [rows, batch, width] = student.shape;
  const first = auxOnly ? CLASS_COUNT : 0;
  const s = tf.slice(student, [0, 0, first], [-1, -1, -1]);
  const t = tf.slice(teacher, [0, 0, first], [-1, -1, -1]);
  let value: tf.Tensor1D;
  let columnGradient: tf.Tensor;
  if (loss === 'mse') {
    const difference = tf.sub(s, t);
    value = tf.mean(tf.square(difference), [1, 2]) as tf.Tensor1D;
    columnGradient = tf.mul(difference, 2 / (batch * (width - first)));
  } else {
    const logPt = tf.logSoftmax(t);
    const pt = tf.exp(logPt);
    value = tf.mean(tf.sum(tf.mul(pt, tf.sub(logPt, tf.logSoftmax(s))), -1), -1) as tf.Tensor1D;
    columnGradient = tf.div(tf.sub(tf.softmax(s), pt), batch);
  }
  const gradient = first === 0 ? columnGradient : tf.concat([tf.zeros([rows, batch, first]), columnGradient], -1);
  return { gradient: gradient as tf.Tensor3D, loss: value };
}

function imitation(student: tf.Tensor3D, target: Extract<LossTarget, { kind: 'distill' }>) {
  const kinds = new Set(target.auxOnly);
  if (kinds.size === 1) return imitationOn(student, target.teacher, target.auxOnly[0], target.loss);
  // Mixed stack: both losses for every row, each row keeping its own (0/1 mask, so the other
  // kind contributes exactly zero).
  const aux = imitationOn(student, target.teacher, true, target.loss);
  const all = imitationOn(student, target.teacher, false, target.loss);
  const mask = tf.tensor1d(target.auxOnly.map((a) => (a ? 1 : 0)));
  const rowMask = tf.reshape(mask, [-1, 1, 1]);
  return {
    gradient: tf.add(tf.mul(aux.gradient, rowMask), tf.mul(all.gradient, tf.sub(1, rowMask))) as tf.Tensor3D,
    loss: tf.add(tf.mul(aux.loss, mask), tf.mul(all.loss, tf.sub(1, mask))) as tf.Tensor1D,
  };
}
