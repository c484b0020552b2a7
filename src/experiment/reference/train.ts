/**
 * The reference: losses and one optimisation step for a plain stack through tfjs's autodiff and
 * optimizer. No run uses it; the tests hold the hand-written step (`../step/`) to it, and the
 * benchmark compares against it.
 *
 * A stack's loss is the *sum* of each model's own mean loss, so every model gets exactly the
 * gradient it would get alone; Adam is element-wise, so one optimizer serves the whole stack.
 */
import * as tf from '../tf';
import { ADAM, CLASS_COUNT, type DistillLoss } from '../config';
import { forward, type Stack, type StackMode } from '../model/mlp';
import type { DistillTarget } from '../model/conditions';

export type { DistillTarget } from '../model/conditions';

export function createOptimizer(learningRate: number): tf.AdamOptimizer {
  return tf.train.adam(learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon) as tf.AdamOptimizer;
}

/** Per-model mean cross-entropy on the 10 class logits; the auxiliary logits get no loss. */
export function teacherLoss(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [k, batch] = logits.shape;
    const classLogits = tf.slice(logits, [0, 0, 0], [k, batch, CLASS_COUNT]);
    const logProbs = tf.logSoftmax(classLogits);
    const oneHot = tf.oneHot(labels, CLASS_COUNT);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbs), -1), -1)) as tf.Tensor1D;
  });
}

/** The logits a distillation target compares: aux = columns 10…, all = every column. */
function targetLogits(logits: tf.Tensor3D, target: DistillTarget): tf.Tensor3D {
  if (target === 'all') return logits;
  const [k, batch, width] = logits.shape;
  return tf.slice(logits, [0, 0, CLASS_COUNT], [k, batch, width - CLASS_COUNT]);
}

/** Per-model mean over the batch of KL(softmax(teacher) ‖ softmax(student)), or of the MSE of raw logits. */
function distillLossFor(
  student: tf.Tensor3D,
  teacher: tf.Tensor3D,
  target: DistillTarget,
  loss: DistillLoss,
): tf.Tensor1D {
  const s = targetLogits(student, target);
  const t = targetLogits(teacher, target);
  if (loss === 'mse') return tf.mean(tf.squaredDifference(s, t), [1, 2]) as tf.Tensor1D;
  const logPt = tf.logSoftmax(t);
  const perSample = tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, tf.logSoftmax(s))), -1);
  return tf.mean(perSample, -1) as tf.Tensor1D;
}

/**
 * Distillation loss per model. `targets[j]` says what student j imitates; a stack may mix both
 * kinds, in which case each model's loss is selected by a 0/1 mask (exactly zero gradient from the
 * other kind).
 */
export function distillLoss(
  student: tf.Tensor3D,
  teacher: tf.Tensor3D,
  targets: readonly DistillTarget[],
  loss: DistillLoss,
): tf.Tensor1D {
  return tf.tidy(() => {
    const kinds = new Set(targets);
    if (kinds.size === 1) return distillLossFor(student, teacher, targets[0], loss);
    const auxMask = tf.tensor1d(targets.map((target) => (target === 'aux' ? 1 : 0)));
    const aux = distillLossFor(student, teacher, 'aux', loss);
    const all = distillLossFor(student, teacher, 'all', loss);
    return tf.add(tf.mul(auxMask, aux), tf.mul(tf.sub(1, auxMask), all)) as tf.Tensor1D;
  });
}

/**
 * Liminal training's penalty per model (arXiv 2604.25779; step.ts): mean over the batch of
 * KL(softmax(base) ‖ softmax(student)) over all 10 + m logits, `base` being the logits of each
 * student's own frozen starting model on the same inputs.
 */
export function liminalPenalty(student: tf.Tensor3D, base: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => distillLossFor(student, base, 'all', 'kl'));
}

/** Liminal training in a step: the frozen starting models (row j = student j's) and λ. */
export interface LiminalReference {
  base: Stack;
  weight: number;
}

/**
 * One Adam step on every model of `stack`; returns each model's loss before the step (kept, so
 * the caller disposes it). No readback happens here.
 */
export function trainStep(optimizer: tf.Optimizer, stack: Stack, perModelLoss: () => tf.Tensor1D): tf.Tensor1D {
  let losses: tf.Tensor1D | null = null;
  const { value, grads } = tf.variableGrads(() => {
    losses = tf.keep(perModelLoss());
    return tf.sum(losses);
  }, stack.variables());
  optimizer.applyGradients(grads);
  tf.dispose([value, ...Object.values(grads)]);
  return losses as unknown as tf.Tensor1D;
}

/** Teacher step: cross-entropy on a per-model batch of images [k, B, 784] with labels [k, B]. */
export function teacherStep(
  optimizer: tf.Optimizer,
  teacher: Stack,
  images: tf.Tensor3D,
  labels: tf.Tensor2D,
  mode: StackMode,
): tf.Tensor1D {
  return trainStep(optimizer, teacher, () => teacherLoss(forward(teacher, images, mode), labels));
}

/**
 * Distillation step: each student imitates its teacher (row j of `teachers`) on the same noise
 * batch [k, B, 784]. The teachers are frozen; their logits carry no gradient. With `liminal`, each
 * student's loss is its distillation loss + λ · liminalPenalty (the losses returned include it).
 */
export function distillStep(
  optimizer: tf.Optimizer,
  students: Stack,
  teachers: Stack,
  noise: tf.Tensor3D,
  targets: readonly DistillTarget[],
  loss: DistillLoss,
  mode: StackMode,
  liminal?: LiminalReference,
): tf.Tensor1D {
  const teacherLogits = forward(teachers, noise, mode);
  const baseLogits = liminal && forward(liminal.base, noise, mode);
  const losses = trainStep(optimizer, students, () => {
    const studentLogits = forward(students, noise, mode);
    const plain = distillLoss(studentLogits, teacherLogits, targets, loss);
    if (!liminal || !baseLogits) return plain;
    return tf.add(plain, tf.mul(liminalPenalty(studentLogits, baseLogits), liminal.weight)) as tf.Tensor1D;
  });
  teacherLogits.dispose();
  baseLogits?.dispose();
  return losses;
}
