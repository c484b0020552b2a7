/**
 * The lean training steps: forward, loss gradient, backpropagation and Adam, written out by
 * hand over packed stacks (no autodiff tape, no per-variable optimizer), on whichever kernels
 * the backend has. No readback happens here.
 */
import * as tf from '../tf';
import { ADAM, type DistillLoss } from '../config';
import type { PackedStack } from './layout';
import type { LayerInput, LossTarget, StepKernels } from './kernels';

function train(kernels: StepKernels, stack: PackedStack, input: LayerInput, target: (logits: tf.Tensor3D) => LossTarget, learningRate: number): tf.Tensor1D {
  if (!stack.trainable) throw new Error('cannot train a frozen stack');
  return tf.tidy(() => {
    const activations = kernels.forward(stack, input);
    const { gradient, loss } = kernels.lossGradient(activations[activations.length - 1], target(activations[activations.length - 1]));
    const parameterGradient = kernels.parameterGradient(stack, input, activations, gradient);
    stack.step++;
    kernels.adam(stack, parameterGradient, { learningRate, ...ADAM, step: stack.step });
    return loss;
  });
}

/** Teacher step: cross-entropy on the 10 class logits; returns each row's loss before the step. */
export function leanTeacherStep(
  kernels: StepKernels,
  teacher: PackedStack,
  input: LayerInput,
  labels: Extract<LossTarget, { kind: 'labels' }>,
  learningRate: number,
): tf.Tensor1D {
  return train(kernels, teacher, input, () => labels, learningRate);
}

/** Distillation step: row r of `students` imitates row r of the frozen `teachers` on the same input. */
export function leanDistillStep(
  kernels: StepKernels,
  students: PackedStack,
  teachers: PackedStack,
  input: LayerInput,
  auxOnly: readonly boolean[],
  loss: DistillLoss,
  learningRate: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const teacherActivations = kernels.forward(teachers, input);
    const teacher = teacherActivations[teacherActivations.length - 1];
    return train(kernels, students, input, () => ({ kind: 'distill', teacher, auxOnly, loss }), learningRate);
  });
}
