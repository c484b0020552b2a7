/**
 * MNIST on the device: pixels scaled to [-1, 1], labels as int32, each tensor uploaded once per
 * run when first read. The CPU kernel keeps its own copy and reads none of them, so a run on it
 * holds no second copy of MNIST.
 */
import * as tf from '../tf';
import { scalePixels, type MnistData } from '../../data/mnist';
import { INPUT_SIZE } from '../config';
import type { LayerInput } from '../step/kernels';
import type { Labels } from '../step/modelGroup';
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
  /**
   * The training pixels on the host, when asked for (CPU backends gather by copying): made at the
   * first read, so a run on the CPU kernel, which places its own sparse copy and reads none of
   * this, does not carry 31 MB of floats per worker.
   */
  readonly trainPixels?: Float32Array;
  /** The training labels on the host (the teacher's, as uploaded). */
  trainLabelValues: Int32Array;
  /** The training images are the first trainImages MNIST images in order (the trait added none). */
  trainIsMnist: boolean;
  dispose(): void;
}

export function uploadData(data: MnistData, config: TeacherSetConfig, keepHost = false): DeviceData {
  // The set's labels are small and kept; its pixels are made when first read, once for the host.
  const { labels, count, mnistImages } = teacherSet(config, data);
  const pixels = () => teacherSet(config, data).pixels;
  let hostPixels: Float32Array | undefined;
  const host = () => (hostPixels ??= pixels());
  const made: tf.Tensor[] = [];
  /** The tensor `make` gives, made at the first read, kept out of any tidy it is read in. */
  const once = <T extends tf.Tensor>(make: () => T): (() => T) => {
    let tensor: T | null = null;
    return () => {
      if (!tensor) made.push((tensor = tf.keep(make())));
      return tensor;
    };
  };
  const trainImages = once(() => tf.tensor2d(keepHost ? host() : pixels(), [count, INPUT_SIZE]));
  const trainLabels = once(() => tf.tensor1d(labels, 'int32'));
  const testImages = once(() => tf.tensor2d(scalePixels(data.test.pixels), [data.test.count, INPUT_SIZE]));
  const testLabels = once(() => tf.tensor1d(Int32Array.from(data.test.labels), 'int32'));
  return {
    get trainImages() {
      return trainImages();
    },
    get trainLabels() {
      return trainLabels();
    },
    get testImages() {
      return testImages();
    },
    get testLabels() {
      return testLabels();
    },
    get trainPixels() {
      return keepHost ? host() : undefined;
    },
    trainLabelValues: labels,
    trainIsMnist: mnistImages,
    dispose: () => tf.dispose(made.splice(0)),
  };
}

/**
 * A batch of the teacher's training set, images index[r·batch + b] for row r: the step's input
 * and labels. The tensors are read only by the paths that use them (not the CPU kernel's).
 */
export function trainingBatch(
  device: DeviceData,
  index: Int32Array,
  batch: number,
): { input: LayerInput; labels: Labels } {
  return {
    input: {
      kind: 'images',
      get images() {
        return device.trainImages;
      },
      index,
      batch,
      get host() {
        return device.trainPixels;
      },
    },
    labels: {
      kind: 'labels',
      get labels() {
        return device.trainLabels;
      },
      index,
      batch,
    },
  };
}
