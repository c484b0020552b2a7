/**
 * Test accuracy of every model of a stack: argmax over the 10 class logits, in batches, with one
 * readback at the end.
 */
import * as tf from '../tf';
import { CLASS_COUNT } from '../config';
import { forward, type Stack, type StackMode } from './mlp';

export const EVAL_BATCH = 1000;

/** Correct predictions per model on images [N, 784] with labels [N], as a [k] tensor. */
export function countCorrect(stack: Stack, images: tf.Tensor2D, labels: tf.Tensor1D, mode: StackMode): tf.Tensor1D {
  const count = images.shape[0];
  let correct = tf.zeros([stack.size]) as tf.Tensor1D;
  for (let start = 0; start < count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, count - start);
    const sum = correct;
    try {
      correct = tf.tidy(() => {
        const logits = forward(stack, tf.slice(images, [start, 0], [size, -1]), mode);
        const classLogits = tf.slice(logits, [0, 0, 0], [-1, -1, CLASS_COUNT]);
        const predicted = tf.argMax(classLogits, -1);
        const hits = tf.equal(predicted, tf.expandDims(tf.slice(labels, [start], [size]), 0));
        return tf.add(sum, tf.sum(tf.cast(hits, 'float32'), -1)) as tf.Tensor1D;
      });
    } finally {
      sum.dispose(); // also when the pass throws: an engine failure must leave no tensor
    }
  }
  return correct;
}

/** Accuracy of every model, in [0, 1]. */
export async function accuracies(
  stack: Stack,
  images: tf.Tensor2D,
  labels: tf.Tensor1D,
  mode: StackMode,
): Promise<number[]> {
  const correct = countCorrect(stack, images, labels, mode);
  let values: Awaited<ReturnType<typeof correct.data>>;
  try {
    values = await correct.data();
  } finally {
    correct.dispose();
  }
  return Array.from(values, (c) => c / images.shape[0]);
}

/** Predicted class of every model for a few images [n, 784]: one row of n classes per model. */
export async function predictions(stack: Stack, images: tf.Tensor2D, mode: StackMode): Promise<number[][]> {
  const predicted = tf.tidy(() =>
    tf.argMax(tf.slice(forward(stack, images, mode), [0, 0, 0], [-1, -1, CLASS_COUNT]), -1),
  );
  let values: Awaited<ReturnType<typeof predicted.data>>;
  try {
    values = await predicted.data();
  } finally {
    predicted.dispose();
  }
  const n = images.shape[0];
  return Array.from({ length: stack.size }, (_, model) => Array.from(values.subarray(model * n, (model + 1) * n)));
}

/** Softmax over the auxiliary logits of every model for a few images: [model][image][aux]. */
export async function auxProbabilities(stack: Stack, images: tf.Tensor2D, mode: StackMode): Promise<number[][][]> {
  const probabilities = tf.tidy(() => {
    const logits = forward(stack, images, mode);
    return tf.softmax(tf.slice(logits, [0, 0, CLASS_COUNT], [-1, -1, -1]));
  });
  const [k, n, m] = probabilities.shape;
  let values: Awaited<ReturnType<typeof probabilities.data>>;
  try {
    values = await probabilities.data();
  } finally {
    probabilities.dispose();
  }
  return Array.from({ length: k }, (_, model) =>
    Array.from({ length: n }, (_, image) =>
      Array.from(values.subarray((model * n + image) * m, (model * n + image + 1) * m)),
    ),
  );
}
