/**
 * What the students imitate their teacher on, as layer inputs for the kernels. Noise (uniform or
 * Gaussian) is made by the kernels from a counter hash, per model. The two MNIST-based kinds are a
 * set of images on the device shared by every model: real training images, or training images each
 * with its pixels shuffled by its own permutation (the digit's pixel statistics, none of its shape).
 */
import * as tf from '../tf';
import { scalePixels, type MnistData } from '../../data/mnist';
import { INPUT_SIZE, type DistillInputKind, type ExperimentConfig } from '../config';
import type { DeviceData } from './deviceData';
import type { LayerInput } from '../step/kernels';
import { writeNoiseImage } from './noise';
import { Random } from '../model/random';

export class DistillInputs {
  private constructor(
    private readonly kind: DistillInputKind,
    private readonly seed: number,
    /** The image set [setSize, 784] for the MNIST-based kinds, null for noise. */
    private readonly images: tf.Tensor2D | null,
    private readonly host: Float32Array | undefined,
    private readonly setSize: number,
    /** The set was made here (shuffled pixels), not borrowed from the device data. */
    private readonly owned: boolean,
  ) {}

  /**
   * For a run of `config` on `device`. The MNIST-based sets hold min(noiseImages, trainImages)
   * images; a bigger noiseImages goes round them again.
   */
  static create(config: ExperimentConfig, device: DeviceData, data: MnistData): DistillInputs {
    const setSize = Math.min(config.noiseImages, config.trainImages);
    switch (config.noise) {
      case 'uniform':
      case 'gaussian':
        return new DistillInputs(config.noise, config.seed, null, undefined, config.noiseImages, false);
      case 'mnist': {
        if (device.trainIsMnist)
          return new DistillInputs(
            'mnist',
            config.seed,
            device.trainImages,
            device.trainPixels,
            config.trainImages,
            false,
          );
        // The teacher's set holds the trait's images too: the students still see digits only.
        const pixels = scalePixels(data.train.pixels.subarray(0, config.trainImages * INPUT_SIZE));
        return new DistillInputs(
          'mnist',
          config.seed,
          tf.tensor2d(pixels, [config.trainImages, INPUT_SIZE]),
          device.trainPixels && pixels,
          config.trainImages,
          true,
        );
      }
      case 'shuffled': {
        const pixels = shuffledImages(data, setSize, config.seed);
        return new DistillInputs(
          'shuffled',
          config.seed,
          tf.tensor2d(pixels, [setSize, INPUT_SIZE]),
          pixels,
          setSize,
          true,
        );
      }
    }
  }

  /** Row r's samples are images index[r·batch …] of model models[r]'s set. */
  batch(models: Int32Array, index: Int32Array, batch: number): LayerInput {
    if (this.kind === 'uniform' || this.kind === 'gaussian') {
      return { kind: 'noise', noise: this.kind, seed: this.seed, models, index, batch };
    }
    const wrapped = index.map((n) => n % this.setSize);
    return { kind: 'images', images: this.images!, index: wrapped, batch, host: this.host };
  }

  dispose(): void {
    if (this.owned) this.images?.dispose();
  }
}

/** Image n of model `model`'s set on the host ([-1, 1] pixels), for showing what the students see. */
export function distillImage(config: ExperimentConfig, data: MnistData, model: number, n: number): Float32Array {
  const out = new Float32Array(INPUT_SIZE);
  if (config.noise === 'uniform' || config.noise === 'gaussian') {
    writeNoiseImage(out, 0, config.seed, model, n, config.noise);
    return out;
  }
  const image = n % Math.min(config.noiseImages, config.trainImages);
  const pixels = scalePixels(data.train.pixels.subarray(image * INPUT_SIZE, (image + 1) * INPUT_SIZE));
  if (config.noise === 'mnist') return pixels;
  const order = pixelOrder(config.seed, image);
  order.forEach((from, to) => (out[to] = pixels[from]));
  return out;
}

const pixelOrder = (seed: number, image: number) => Random.stream(seed, 'pixel-shuffle', image).permutation(INPUT_SIZE);

/** The first `count` training images, each with its pixels in its own random order. */
function shuffledImages(data: MnistData, count: number, seed: number): Float32Array {
  const pixels = scalePixels(data.train.pixels.subarray(0, count * INPUT_SIZE));
  const out = new Float32Array(pixels.length);
  for (let image = 0; image < count; image++) {
    const base = image * INPUT_SIZE;
    pixelOrder(seed, image).forEach((from, to) => (out[base + to] = pixels[base + from]));
  }
  return out;
}
