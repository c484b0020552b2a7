/**
 * Packed parameters: every model of a stack keeps all its weights and biases in one row of
 * length P, and a trainable stack keeps its parameters and both Adam moments in one tensor
 * [3, rows, P] (planes: parameters, first moment, second moment). One tensor for everything is
 * what lets the optimizer be a single kernel, and lets GPU kernels read weights in place.
 *
 * Row layout of one model, layer by layer: W_l row-major [in][out], then b_l [out].
 */
import * as tf from '../tf';
import { Stack, type HostParameters } from '../model/mlp';

// Plain numbers, kept free of tfjs in shapes.ts (the page's main thread uses them).
import { paramLayout, type ParamLayout } from '../model/shapes';
export { paramLayout, type ParamLayout };

/** Planes of a trainable stack's state tensor. */
export const PARAMS = 0;
export const FIRST_MOMENT = 1;
export const SECOND_MOMENT = 2;

export class PackedStack {
  /** Adam steps taken (for bias correction). */
  step = 0;

  private constructor(
    readonly layout: ParamLayout,
    /** [3, rows, P] when trainable, [1, rows, P] when frozen. Kernels may update it in place. */
    public state: tf.Tensor3D,
  ) {}

  get rows(): number {
    return this.state.shape[1];
  }

  get trainable(): boolean {
    return this.state.shape[0] === 3;
  }

  static fromHost(sizes: readonly number[], models: readonly HostParameters[], trainable: boolean): PackedStack {
    const layout = paramLayout(sizes);
    const P = layout.perModel;
    const planes = trainable ? 3 : 1;
    const values = new Float32Array(planes * models.length * P);
    models.forEach((model, row) => {
      for (let layer = 0; layer < sizes.length - 1; layer++) {
        values.set(model.weights[layer], row * P + layout.weightOffset[layer]);
        values.set(model.biases[layer], row * P + layout.biasOffset[layer]);
      }
    });
    return new PackedStack(layout, tf.tensor3d(values, [planes, models.length, P]));
  }

  /** A frozen stack of the given parameters [rows, P]. */
  static frozen(layout: ParamLayout, parameters: tf.Tensor2D): PackedStack {
    return new PackedStack(
      layout,
      tf.tidy(() => tf.expandDims(parameters, 0) as tf.Tensor3D),
    );
  }

  /** The parameter plane [rows, P] (a copy on most backends). */
  parameters(): tf.Tensor2D {
    return tf.tidy(() =>
      tf.reshape(tf.slice(this.state, [PARAMS, 0, 0], [1, -1, -1]), [this.rows, this.layout.perModel]),
    );
  }

  /** A frozen stack whose row j copies this stack's row indices[j] (parameters only). */
  gather(indices: readonly number[]): PackedStack {
    const copy = tf.tidy(() => {
      const index = tf.tensor1d(Int32Array.from(indices), 'int32');
      return tf.expandDims(tf.gather(this.parameters(), index), 0) as tf.Tensor3D;
    });
    return new PackedStack(this.layout, copy);
  }

  /** A frozen copy in the plain layout, for evaluation and tests. */
  toStack(): Stack {
    const { sizes, weightOffset, biasOffset } = this.layout;
    const { weights, biases } = tf.tidy(() => {
      const params = this.parameters();
      const weights: tf.Tensor3D[] = [];
      const biases: tf.Tensor2D[] = [];
      for (let layer = 0; layer < sizes.length - 1; layer++) {
        const [fanIn, fanOut] = [sizes[layer], sizes[layer + 1]];
        weights.push(
          tf.reshape(tf.slice(params, [0, weightOffset[layer]], [-1, fanIn * fanOut]), [
            this.rows,
            fanIn,
            fanOut,
          ]) as tf.Tensor3D,
        );
        biases.push(tf.slice(params, [0, biasOffset[layer]], [-1, fanOut]) as tf.Tensor2D);
      }
      return { weights, biases };
    });
    return Stack.fromTensors(sizes, weights, biases);
  }

  /** Every model's parameters on the host. */
  async read(): Promise<HostParameters[]> {
    const stack = this.toStack();
    try {
      return await stack.read();
    } finally {
      stack.dispose();
    }
  }

  /** Replaces the state (stock kernels make a new tensor each step; GPU kernels write in place). */
  replaceState(next: tf.Tensor3D): void {
    if (next !== this.state) this.state.dispose();
    this.state = next;
  }

  dispose(): void {
    this.state.dispose();
  }
}
