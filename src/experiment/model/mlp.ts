/**
 * A stack of k MLPs held as rank-3 weights [k, in, out] and rank-2 biases [k, out], so that one
 * batched matMul serves every model. The same stack can also be run model by model ('per-model'),
 * which is faster on CPU backends whose batched matMul is slow.
 */
import * as tf from '../tf';
import { Random } from './random';

export type StackMode = 'batched' | 'per-model';

// Plain numbers, kept free of tfjs in shapes.ts (the page's main thread uses them).
export { layerSizes } from './shapes';

/** One model's parameters on the host: weights [in*out] row-major and biases [out], per layer. */
export interface HostParameters {
  weights: Float32Array[];
  biases: Float32Array[];
}

/**
 * The recipe's initialisation for model `modelIndex` of a run: weights ~ N(0, 1/√fan_in), biases 0.
 * Drawn from the model's own stream, so it does not depend on the other models.
 */
export function initialParameters(
  sizes: readonly number[],
  seed: number,
  modelIndex: number,
  purpose = 'init',
): HostParameters {
  const random = Random.stream(seed, purpose, modelIndex);
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    const fanIn = sizes[layer];
    const w = new Float32Array(fanIn * sizes[layer + 1]);
    random.fillGaussian(w, 0, 1 / Math.sqrt(fanIn));
    weights.push(w);
    biases.push(new Float32Array(sizes[layer + 1]));
  }
  return { weights, biases };
}

export class Stack {
  private constructor(
    readonly sizes: readonly number[],
    readonly weights: tf.Tensor3D[],
    readonly biases: tf.Tensor2D[],
  ) {}

  get size(): number {
    return this.weights[0].shape[0];
  }

  get layerCount(): number {
    return this.weights.length;
  }

  /** Wraps tensors the caller hands over (frozen). */
  static fromTensors(sizes: readonly number[], weights: tf.Tensor3D[], biases: tf.Tensor2D[]): Stack {
    return new Stack(sizes, weights, biases);
  }

  /** Uploads per-model host parameters as one stack. */
  static fromHost(sizes: readonly number[], models: HostParameters[], trainable: boolean): Stack {
    const k = models.length;
    const weights: tf.Tensor3D[] = [];
    const biases: tf.Tensor2D[] = [];
    try {
      for (let layer = 0; layer < sizes.length - 1; layer++) {
        const [fanIn, fanOut] = [sizes[layer], sizes[layer + 1]];
        const w = new Float32Array(k * fanIn * fanOut);
        const b = new Float32Array(k * fanOut);
        models.forEach((model, i) => {
          w.set(model.weights[layer], i * fanIn * fanOut);
          b.set(model.biases[layer], i * fanOut);
        });
        weights.push(asParameter(tf.tensor3d(w, [k, fanIn, fanOut]), trainable));
        biases.push(asParameter(tf.tensor2d(b, [k, fanOut]), trainable));
      }
    } catch (error) {
      // Out of memory part-way: the layers already uploaded would outlive the failed run.
      tf.dispose([...weights, ...biases]);
      throw error;
    }
    return new Stack(sizes, weights, biases);
  }

  /** A new stack whose model j is an exact copy of this stack's model indices[j]. */
  gather(indices: readonly number[], trainable: boolean): Stack {
    const index = tf.tensor1d(Int32Array.from(indices), 'int32');
    const copies: tf.Tensor[] = [];
    const copy = (t: tf.Tensor) => {
      const gathered = asParameter(tf.gather(t, index), trainable);
      copies.push(gathered);
      return gathered;
    };
    try {
      return new Stack(this.sizes, this.weights.map(copy) as tf.Tensor3D[], this.biases.map(copy) as tf.Tensor2D[]);
    } catch (error) {
      tf.dispose(copies);
      throw error;
    } finally {
      index.dispose();
    }
  }

  /** The trainable variables, weights then biases (empty for a frozen stack). */
  variables(): tf.Variable[] {
    return this.tensors().filter((t): t is tf.Variable => t instanceof tf.Variable);
  }

  tensors(): tf.Tensor[] {
    return [...this.weights, ...this.biases];
  }

  /** Reads every model's parameters back to the host (tests, export). */
  async read(): Promise<HostParameters[]> {
    const k = this.size;
    const models: HostParameters[] = Array.from({ length: k }, () => ({ weights: [], biases: [] }));
    for (let layer = 0; layer < this.layerCount; layer++) {
      const w = (await this.weights[layer].data()) as Float32Array;
      const b = (await this.biases[layer].data()) as Float32Array;
      const [wSize, bSize] = [w.length / k, b.length / k];
      models.forEach((model, i) => {
        model.weights.push(w.slice(i * wSize, (i + 1) * wSize));
        model.biases.push(b.slice(i * bSize, (i + 1) * bSize));
      });
    }
    return models;
  }

  dispose(): void {
    tf.dispose(this.tensors());
  }
}

function asParameter<T extends tf.Tensor>(tensor: T, trainable: boolean): T {
  if (!trainable) return tensor;
  try {
    return tf.variable(tensor, true) as unknown as T;
  } finally {
    tensor.dispose();
  }
}

/**
 * Logits [k, B, 10 + m] of every model. `x` is either per-model inputs [k, B, 784] or one batch
 * [B, 784] shared by all models (evaluation).
 */
export function forward(stack: Stack, x: tf.Tensor2D | tf.Tensor3D, mode: StackMode): tf.Tensor3D {
  return tf.tidy(() => (mode === 'batched' ? forwardBatched(stack, x) : forwardPerModel(stack, x)));
}

function forwardBatched(stack: Stack, x: tf.Tensor2D | tf.Tensor3D): tf.Tensor3D {
  // A shared [B, in] batch broadcasts over the model dimension.
  const input = x.rank === 2 ? tf.expandDims(x, 0) : x;
  const biases = stack.biases.map((b) => tf.expandDims(b, 1));
  return dense(input, stack.weights, biases) as tf.Tensor3D;
}

function forwardPerModel(stack: Stack, x: tf.Tensor2D | tf.Tensor3D): tf.Tensor3D {
  const inputs = x.rank === 3 ? splitModels(x) : new Array<tf.Tensor>(stack.size).fill(x);
  const weights = stack.weights.map(splitModels);
  const biases = stack.biases.map(splitModels);
  const outputs = inputs.map((input, model) =>
    dense(
      input,
      weights.map((w) => w[model]),
      biases.map((b) => b[model]),
    ),
  );
  return tf.stack(outputs) as tf.Tensor3D;
}

/** Model slices of a stacked tensor. (tfjs's unstack gradient breaks for a single output.) */
function splitModels(t: tf.Tensor): tf.Tensor[] {
  return t.shape[0] === 1 ? [tf.squeeze(t, [0])] : tf.unstack(t);
}

/** The MLP itself: affine layers, ReLU between them, raw logits out. */
function dense(input: tf.Tensor, weights: tf.Tensor[], biases: tf.Tensor[]): tf.Tensor {
  let h = input;
  weights.forEach((w, layer) => {
    h = (layer === 0 ? affineOnData : affine)(h, w, biases[layer]);
    if (layer < weights.length - 1) h = tf.relu(h);
  });
  return h;
}

/** Swaps the last two axes. */
function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, axis) => axis);
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1], perm[t.rank - 2]];
  return tf.transpose(t, perm);
}

/**
 * x·W + b with a hand-written gradient that transposes explicitly: the wasm backend's matMul is
 * about ten times slower with its transpose flags set than on a transposed copy. (Also unfused on
 * purpose: wasm's fused matMul rejects a bias sliced out of a stack.)
 */
function makeAffine(inputGradient: boolean) {
  const affineWithGradient = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.add(tf.matMul(x, w), b),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const grad = dy as tf.Tensor;
        const [xs, ws] = saved;
        // The first layer's input is data, never trained: its gradient is not worth a matMul.
        const dx = inputGradient ? tf.matMul(grad, swapLast(ws)) : tf.zerosLike(xs);
        const dw = tf.matMul(swapLast(xs), grad);
        const db = tf.reshape(
          tf.sum(
            grad,
            grad.shape
              .slice(0, -1)
              .map((_, axis) => axis)
              .filter((axis) => b.rank === 1 || axis === grad.rank - 2),
          ),
          b.shape,
        );
        return [dx, dw, db];
      },
    };
  };
  return tf.customGrad(affineWithGradient as unknown as Parameters<typeof tf.customGrad>[0]) as (
    x: tf.Tensor,
    w: tf.Tensor,
    b: tf.Tensor,
  ) => tf.Tensor;
}

const affine = makeAffine(true);
const affineOnData = makeAffine(false);
