/**
 * What one training step needs from a backend. Two implementations exist: stock tfjs ops
 * (every backend; `stockKernels.ts`) and hand-written WebGPU programs (`webgpuKernels.ts`), and
 * the tests hold them to each other.
 *
 * Shapes: R rows (models) in the stack, B samples per row, C = 10 + m logits, P packed
 * parameters per row (see `layout.ts`).
 */
import type * as tf from '../tf';
import type { DistillLoss, NoiseKind } from '../config';
import type { PackedStack } from './layout';

/** The first layer's input, in a form a kernel may read where it lies (no copy needed). */
export type LayerInput =
  /** x [R, B, in] as a tensor. */
  | { kind: 'tensor'; x: tf.Tensor3D }
  /**
   * Sample b of row r is images[index[r * batch + b]]; images [N, 784] stays on the device.
   * `host`, the same pixels on the host, lets CPU backends gather by copying (their gather
   * kernels are slow).
   */
  | { kind: 'images'; images: tf.Tensor2D; index: Int32Array; batch: number; host?: Float32Array }
  /**
   * Sample b of row r is noise image index[r * batch + b] of model models[r], whose pixels are
   * `noisePixel(noise, seed, models[r], image, pixel)` (noiseHash.ts).
   */
  | { kind: 'noise'; noise: NoiseKind; seed: number; models: Int32Array; index: Int32Array; batch: number };

export type LossTarget =
  /**
   * Teacher: mean over the batch of the cross-entropy of softmax(logits[:, :, 0:10]) against
   * labels[index[r * batch + b]]; the auxiliary logits get exactly zero gradient.
   */
  | { kind: 'labels'; labels: tf.Tensor1D; index: Int32Array; batch: number }
  /**
   * Student: imitate `teacher` logits [R, B, C]. Row r compares only the auxiliary logits
   * (columns 10…) when auxOnly[r], else all C; the other columns get exactly zero gradient.
   * kl: mean over the batch of KL(softmax(teacher) ‖ softmax(student)) on the compared columns;
   * mse: mean over batch and compared columns of (student − teacher)².
   * Liminal training's penalty is this loss again (kl, all columns) against the base model's
   * logits, added at the logit gradient by step.ts, so no kernel needs a loss of its own for it.
   */
  | { kind: 'distill'; teacher: tf.Tensor3D; auxOnly: readonly boolean[]; loss: DistillLoss };

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1-based step number, for bias correction (tfjs's Adam: m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)). */
  step: number;
}

export interface StepKernels {
  readonly name: string;
  /** Every layer's output for every row: [h_1, …, logits], each [R, B, width]; ReLU on all but logits. */
  forward(stack: PackedStack, input: LayerInput): tf.Tensor3D[];
  /** d(row's loss)/d(logits) [R, B, C] and every row's loss [R]. */
  lossGradient(logits: tf.Tensor3D, target: LossTarget): { gradient: tf.Tensor3D; loss: tf.Tensor1D };
  /** d(row's loss)/d(row's packed parameters) [R, P], by backpropagation through `activations`. */
  parameterGradient(
    stack: PackedStack,
    input: LayerInput,
    activations: tf.Tensor3D[],
    logitGradient: tf.Tensor3D,
  ): tf.Tensor2D;
  /** One Adam step on `stack.state` (in place, or through `stack.replaceState`). */
  adam(stack: PackedStack, gradient: tf.Tensor2D, settings: AdamSettings): void;
  dispose(): void;
}
