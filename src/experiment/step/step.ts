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

/** Each row's gradient of its loss on `input` with respect to its packed parameters, [R, P], and the losses [R]. */
export function packedGradient(
  kernels: StepKernels,
  stack: PackedStack,
  input: LayerInput,
  target: LossTarget | ((logits: tf.Tensor3D) => LossTarget),
): { gradient: tf.Tensor2D; loss: tf.Tensor1D } {
  return tf.tidy(() => {
    const activations = kernels.forward(stack, input);
    const logits = activations[activations.length - 1];
    const { gradient, loss } = kernels.lossGradient(logits, typeof target === 'function' ? target(logits) : target);
    return { gradient: kernels.parameterGradient(stack, input, activations, gradient), loss };
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
  target: (logits: tf.Tensor3D) => LossTarget,
  learningRate: number,
  trait?: TraitBatch,
): tf.Tensor1D {
  if (!stack.trainable) throw new Error('cannot train a frozen stack');
  return tf.tidy(() => {
    const { gradient, loss } = packedGradient(kernels, stack, input, target);
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
}

/** Teacher step: cross-entropy on the 10 class logits; returns each row's loss before the step. */
export function packedTeacherStep({ kernels, teacher, input, labels, learningRate }: TeacherStepArgs): tf.Tensor1D {
  return train(kernels, teacher, input, () => labels, learningRate);
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
}: DistillStepArgs): tf.Tensor1D {
  return tf.tidy(() => {
    const teacher = teacherLogits(kernels, teachers, input);
    return train(kernels, students, input, () => ({ kind: 'distill', teacher, auxOnly, loss }), learningRate, trait);
  });
}

/** The frozen teachers' logits [R, B, C] on `input`. */
export function teacherLogits(kernels: StepKernels, teachers: PackedStack, input: LayerInput): tf.Tensor3D {
  return tf.tidy(() => {
    const activations = kernels.forward(teachers, input);
    return activations[activations.length - 1];
  });
}
