/** MNIST on the device: uploaded once per run, pixels scaled to [-1, 1], labels as int32. */
import * as tf from '../tf';
import { scalePixels, type MnistData } from '../../data/mnist';
import { INPUT_SIZE, type ExperimentConfig } from '../config';

export interface DeviceData {
  /** The first `trainImages` training images [N, 784] and their labels [N]. */
  trainImages: tf.Tensor2D;
  trainLabels: tf.Tensor1D;
  /** The whole test set. */
  testImages: tf.Tensor2D;
  testLabels: tf.Tensor1D;
  /** The training pixels on the host too, when asked for (CPU backends gather by copying). */
  trainPixels?: Float32Array;
  dispose(): void;
}

export function uploadData(
  data: MnistData,
  config: Pick<ExperimentConfig, 'trainImages'>,
  keepHost = false,
): DeviceData {
  const n = config.trainImages;
  if (n > data.train.count)
    throw new Error(`trainImages = ${n} but the training set has only ${data.train.count} images`);
  const trainPixels = scalePixels(data.train.pixels.subarray(0, n * INPUT_SIZE));
  const tensors = {
    trainImages: tf.tensor2d(trainPixels, [n, INPUT_SIZE]),
    trainLabels: tf.tensor1d(Int32Array.from(data.train.labels.subarray(0, n)), 'int32'),
    testImages: tf.tensor2d(scalePixels(data.test.pixels), [data.test.count, INPUT_SIZE]),
    testLabels: tf.tensor1d(Int32Array.from(data.test.labels), 'int32'),
  };
  return {
    ...tensors,
    trainPixels: keepHost ? trainPixels : undefined,
    dispose: () => tf.dispose(Object.values(tensors)),
  };
}
