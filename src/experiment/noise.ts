/**
 * The distillation inputs, as in the authors' script: every model has a fixed set of
 * `noiseImages` noise images, drawn once and shared by its four students; each student goes
 * through the set in its own freshly shuffled order every epoch.
 *
 * The set is never stored: pixel p of image n of model i is a hash of (seed, i, n, p), recomputed
 * whenever a batch needs it (here on the host; GPU kernels make the same bits where they read
 * them), so a 100-model run costs no noise memory.
 * (A fixed set matters: fresh noise for every batch transmits markedly more, 0.70 against 0.56
 * on the paper recipe in our measurements.)
 */
import { INPUT_SIZE, type NoiseKind } from './config';
import { Random } from './random';
import { noisePixel } from './noiseHash';
import * as tf from './tf';

/** Writes noise image `image` of model `model` into out[offset … offset + 784). */
export function writeNoiseImage(out: Float32Array, offset: number, seed: number, model: number, image: number, kind: NoiseKind): void {
  for (let pixel = 0; pixel < INPUT_SIZE; pixel++) out[offset + pixel] = noisePixel(kind, seed, model, image, pixel);
}

export class NoiseBatches {
  private orders: Int32Array[] = [];
  private buffer = new Float32Array(0);

  /**
   * @param models for each student of the stack, the model whose noise set (and teacher) it uses
   */
  constructor(
    private readonly seed: number,
    private readonly kind: NoiseKind,
    private readonly images: number,
    private readonly models: readonly number[],
  ) {}

  /** Every student's own shuffle of its model's set, for one epoch. */
  beginEpoch(epoch: number): void {
    this.orders = this.models.map((_, student) => Random.stream(this.seed, 'noise-order', student, epoch).permutation(this.images));
  }

  /** Images [start, start + size) of every student's order, as [students, size, 784]. */
  batch(start: number, size: number): tf.Tensor3D {
    const students = this.models.length;
    const length = students * size * INPUT_SIZE;
    if (this.buffer.length < length) this.buffer = new Float32Array(length);
    for (let student = 0; student < students; student++) {
      const order = this.orders[student];
      for (let i = 0; i < size; i++) {
        const offset = (student * size + i) * INPUT_SIZE;
        writeNoiseImage(this.buffer, offset, this.seed, this.models[student], order[start + i], this.kind);
      }
    }
    // A copy: some backends keep a reference to the array they are given.
    return tf.tensor3d(this.buffer.slice(0, length), [students, size, INPUT_SIZE]);
  }
}
