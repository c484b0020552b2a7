/** MNIST on the device: uploaded once per run, pixels scaled to [-1, 1], labels as int32. */
import * as tf from './tf';
import { scalePixels, type MnistData } from '../data/mnist';
import { INPUT_SIZE, type ExperimentConfig } from './config';
import { Random } from './random';

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

export function uploadData(data: MnistData, config: Pick<ExperimentConfig, 'trainImages'>, keepHost = false): DeviceData {
  const n = config.trainImages;
  if (n > data.train.count) throw new Error(`trainImages = ${n} but the training set has only ${data.train.count} images`);
  const trainPixels = scalePixels(data.train.pixels.subarray(0, n * INPUT_SIZE));
  const tensors = {
    trainImages: tf.tensor2d(trainPixels, [n, INPUT_SIZE]),
    trainLabels: tf.tensor1d(Int32Array.from(data.train.labels.subarray(0, n)), 'int32'),
    testImages: tf.tensor2d(scalePixels(data.test.pixels), [data.test.count, INPUT_SIZE]),
    testLabels: tf.tensor1d(Int32Array.from(data.test.labels), 'int32'),
  };
  return { ...tensors, trainPixels: keepHost ? trainPixels : undefined, dispose: () => tf.dispose(Object.values(tensors)) };
}

/** Per-model shuffled batches of the training images, picked on the device by gathered indices. */
export class MnistBatches {
  private order: tf.Tensor2D | null = null;

  constructor(private readonly data: DeviceData, private readonly models: number, private readonly seed: number) {}

  /** Every model's own shuffle of the training images for one epoch, uploaded as [k, N] int32. */
  beginEpoch(epoch: number): void {
    const n = this.data.trainImages.shape[0];
    const all = new Int32Array(this.models * n);
    for (let model = 0; model < this.models; model++) all.set(Random.stream(this.seed, 'shuffle', model, epoch).permutation(n), model * n);
    this.order?.dispose();
    this.order = tf.tensor2d(all, [this.models, n], 'int32');
  }

  /** Images [k, size, 784] and labels [k, size] at positions [start, start + size) of each model's order. */
  batch(start: number, size: number): { images: tf.Tensor3D; labels: tf.Tensor2D } {
    if (!this.order) throw new Error('beginEpoch must come before batch');
    const k = this.models;
    const index = tf.reshape(tf.slice(this.order, [0, start], [k, size]), [k * size]);
    const images = tf.reshape(tf.gather(this.data.trainImages, index), [k, size, INPUT_SIZE]) as tf.Tensor3D;
    const labels = tf.reshape(tf.gather(this.data.trainLabels, index), [k, size]) as tf.Tensor2D;
    index.dispose();
    return { images, labels };
  }

  dispose(): void {
    this.order?.dispose();
  }
}
