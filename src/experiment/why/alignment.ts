/**
 * Row-wise geometry of stacks of parameter vectors [R, P] (one model per row): the measurements of
 * why the trait travels, and the mitigation that removes the part of a step that carries it.
 */
import * as tf from '../tf';

/** Below this a norm counts as zero (a student that has not moved yet). */
const TINY = 1e-30;

/** cos(a_r, b_r) for every row; 0 where either row is all zeros. */
export function rowCosine(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const dot = tf.sum(tf.mul(a, b), 1);
    const norms = tf.sqrt(tf.mul(tf.sum(tf.square(a), 1), tf.sum(tf.square(b), 1)));
    return tf.div(dot, tf.maximum(norms, TINY)) as tf.Tensor1D;
  });
}

/** ‖a_r − b_r‖ for every row. */
export function rowDistance(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), 1)) as tf.Tensor1D);
}

/** ⟨a_r, b_r⟩ for every row. */
export function rowDot(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(a, b), 1) as tf.Tensor1D);
}

/** a_r / ‖a_r‖ · length for every row (a zero row stays zero). */
export function rowScaleTo(a: tf.Tensor2D, length: number): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(a), 1, true));
    return tf.mul(a, tf.div(length, tf.maximum(norm, TINY))) as tf.Tensor2D;
  });
}

/**
 * The mitigation of arXiv 2604.25779, row by row: where the step's gradient g points the same way
 * as the trait gradient t (g·t > 0), g − (g·t / ‖t‖²) t, its component along t removed; elsewhere
 * g unchanged. Following the projected gradient can then not raise the trait to first order.
 * The projection is applied twice: in float32 one pass leaves a residual along t of about 1e-6 of
 * the norm for a model's worth of parameters; the second removes it.
 */
export function removeAlignedComponent(gradient: tf.Tensor2D, trait: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const traitSquared = tf.maximum(tf.sum(tf.square(trait), 1, true), TINY);
    const along = (g: tf.Tensor2D) => tf.div(tf.sum(tf.mul(g, trait), 1, true), traitSquared);
    const first = tf.relu(along(gradient));
    const once = tf.sub(gradient, tf.mul(first, trait)) as tf.Tensor2D;
    const second = tf.mul(along(once), tf.cast(tf.greater(first, 0), 'float32'));
    return tf.sub(once, tf.mul(second, trait)) as tf.Tensor2D;
  });
}
