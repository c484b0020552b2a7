/**
 * The training step: forward, loss gradient, backpropagation and Adam, written out by
 * hand over packed stacks (no autodiff tape, no per-variable optimizer), on whichever kernels
 * the backend has. No readback happens here.
 */
import * as tf from '../tf';
import { ADAM, type DistillLoss } from '../config';
import type { PackedStack } from './layout';
import type { LayerInput, LossTarget, StepKernels } from './kernels';
import { removeAlignedComponent } from '../why/alignment';

/** A loss of the logits: its gradient with respect to them [R, B, C] and each row's value [R]. */
type LogitLoss = (logits: tf.Tensor3D) => { gradient: tf.Tensor3D; loss: tf.Tensor1D };

/** Forward, `lossOf` on the logits, one backpropagation: the gradient [R, P] and the losses [R]. */
function gradientOf(
  kernels: StepKernels,
  stack: PackedStack,
  input: LayerInput,
  lossOf: LogitLoss,
): { gradient: tf.Tensor2D; loss: tf.Tensor1D } {
  return tf.tidy(() => {
    const activations = kernels.forward(stack, input);
    const { gradient, loss } = lossOf(activations[activations.length - 1]);
    return { gradient: kernels.parameterGradient(stack, input, activations, gradient), loss };
  });
}

/** Each row's gradient of its loss on `input` with respect to its packed parameters, [R, P], and the losses [R]. */
export function packedGradient(
  kernels: StepKernels,
  stack: PackedStack,
  input: LayerInput,
  target: LossTarget | ((logits: tf.Tensor3D) => LossTarget),
): { gradient: tf.Tensor2D; loss: tf.Tensor1D } {
  return gradientOf(kernels, stack, input, (logits) =>
    kernels.lossGradient(logits, typeof target === 'function' ? target(logits) : target),
  );
}

/**
 * Liminal training (arXiv 2604.25779): while it is on, each student's loss is its distillation loss
 * plus weight · KL(softmax(base) ‖ softmax(student)), mean over the batch, over all 10 + m logits on
 * the same inputs; `base` holds each row's own frozen starting weights (the same-init students' is
 * the teacher's initialisation, a cross student's its own different init). It keeps the student
 * near where it began during the early critical period, when most of the trait arrives.
 */
export interface LiminalPenalty<Stack = PackedStack> {
  base: Stack;
  /** λ ≥ 0 (0 = the plain step). */
  weight: number;
}

/**
 * The distillation loss with liminal training's penalty added at the logit gradient: the KL's
 * gradient with respect to the student's logits is (softmax(student) − softmax(base))/B per sample,
 * the distillation KL on all logits, so the kernels' own loss serves for both and one
 * backpropagation takes the sum. The loss returned includes the penalty (distillation + λ·KL).
 */
function withLiminalPenalty(
  kernels: StepKernels,
  distill: Extract<LossTarget, { kind: 'distill' }>,
  baseLogits: tf.Tensor3D,
  weight: number,
): LogitLoss {
  return (logits) =>
    tf.tidy(() => {
      const plain = kernels.lossGradient(logits, distill);
      const allLogits = distill.auxOnly.map(() => false);
      const penalty = kernels.lossGradient(logits, {
        kind: 'distill',
        teacher: baseLogits,
        auxOnly: allLogits,
        loss: 'kl',
      });
      return {
        gradient: tf.add(plain.gradient, tf.mul(penalty.gradient, weight)) as tf.Tensor3D,
        loss: tf.add(plain.loss, tf.mul(penalty.loss, weight)) as tf.Tensor1D,
      };
    });
}

/** The trait (the teacher's task) on one batch: MNIST digits and their labels. */
export interface TraitBatch {
  input: LayerInput;
  labels: Extract<LossTarget, { kind: 'labels' }>;
}

function train(
  kernels: StepKernels,
  stack: PackedStack,
  input: LayerInput,
  lossOf: LogitLoss,
  learningRate: number,
  trait?: TraitBatch,
): tf.Tensor1D {
  if (!stack.trainable) throw new Error('cannot train a frozen stack');
  return tf.tidy(() => {
    const { gradient, loss } = gradientOf(kernels, stack, input, lossOf);
    const step = trait
      ? removeAlignedComponent(gradient, packedGradient(kernels, stack, trait.input, trait.labels).gradient)
      : gradient;
    stack.step++;
    kernels.adam(stack, step, { learningRate, ...ADAM, step: stack.step });
    return loss;
  });
}

/** What a teacher step needs; `Stack` is one packed stack, or a group of them (`group.ts`). */
export interface TeacherStepArgs<Stack = PackedStack> {
  kernels: StepKernels;
  teacher: Stack;
  input: LayerInput;
  labels: Extract<LossTarget, { kind: 'labels' }>;
  learningRate: number;
}

/** What a distillation step needs: row r of `students` imitates row r of the frozen `teachers`. */
export interface DistillStepArgs<Stack = PackedStack> {
  kernels: StepKernels;
  students: Stack;
  teachers: Stack;
  input: LayerInput;
  /** Per row: compare only the auxiliary logits (else all of them). */
  auxOnly: readonly boolean[];
  loss: DistillLoss;
  learningRate: number;
  /** The mitigation: the step's gradient loses its component along the trait gradient. */
  trait?: TraitBatch;
  /** Liminal training: the loss gains a KL penalty towards each row's starting model (row r of `base`). */
  liminal?: LiminalPenalty<Stack>;
}

/** Teacher step: cross-entropy on the 10 class logits; returns each row's loss before the step. */
export function packedTeacherStep({ kernels, teacher, input, labels, learningRate }: TeacherStepArgs): tf.Tensor1D {
  return train(kernels, teacher, input, (logits) => kernels.lossGradient(logits, labels), learningRate);
}

/** Distillation step; returns each row's loss before the step. */
export function packedDistillStep({
  kernels,
  students,
  teachers,
  input,
  auxOnly,
  loss,
  learningRate,
  trait,
  liminal,
}: DistillStepArgs): tf.Tensor1D {
  return tf.tidy(() => {
    const target = { kind: 'distill' as const, teacher: teacherLogits(kernels, teachers, input), auxOnly, loss };
    const lossOf: LogitLoss = liminal
      ? withLiminalPenalty(kernels, target, teacherLogits(kernels, liminal.base, input), liminal.weight)
      : (logits) => kernels.lossGradient(logits, target);
    return train(kernels, students, input, lossOf, learningRate, trait);
  });
}

/** The frozen teachers' logits [R, B, C] on `input`. */
export function teacherLogits(kernels: StepKernels, teachers: PackedStack, input: LayerInput): tf.Tensor3D {
  return tf.tidy(() => {
    const activations = kernels.forward(teachers, input);
    return activations[activations.length - 1];
  });
}
