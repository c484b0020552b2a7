/** MNIST on the device: uploaded once per run, pixels scaled to [-1, 1], labels as int32. */
import * as tf from '../tf';
import { scalePixels, type MnistData } from '../../data/mnist';
import { INPUT_SIZE } from '../config';
import { teacherSet, type TeacherSetConfig } from '../trait/teacherSet';

export interface DeviceData {
  /**
   * The teacher's training set (trait/teacherSet.ts) [N, 784] and its labels [N]: the first
   * `trainImages` MNIST training images, with the trait's images and labels.
   */
  trainImages: tf.Tensor2D;
  trainLabels: tf.Tensor1D;
  /** The whole test set. */
  testImages: tf.Tensor2D;
  testLabels: tf.Tensor1D;
  /** The training pixels on the host too, when asked for (CPU backends gather by copying). */
  trainPixels?: Float32Array;
  /** The training labels on the host (the teacher's, as uploaded). */
  trainLabelValues: Int32Array;
  /** The training images are the first trainImages MNIST images in order (the trait added none). */
  trainIsMnist: boolean;
  dispose(): void;
}

export function uploadData(data: MnistData, config: TeacherSetConfig, keepHost = false): DeviceData {
  const set = teacherSet(config, data);
  const tensors = {
    trainImages: tf.tensor2d(set.pixels, [set.count, INPUT_SIZE]),
    trainLabels: tf.tensor1d(set.labels, 'int32'),
    testImages: tf.tensor2d(scalePixels(data.test.pixels), [data.test.count, INPUT_SIZE]),
    testLabels: tf.tensor1d(Int32Array.from(data.test.labels), 'int32'),
  };
  return {
    ...tensors,
    trainPixels: keepHost ? set.pixels : undefined,
    trainLabelValues: set.labels,
    trainIsMnist: set.mnistImages,
    dispose: () => tf.dispose(Object.values(tensors)),
  };
}
