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
import { INPUT_SIZE, type NoiseKind } from '../config';
import { noisePixel } from './noiseHash';

/** Writes noise image `image` of model `model` into out[offset … offset + 784). */
export function writeNoiseImage(
  out: Float32Array,
  offset: number,
  seed: number,
  model: number,
  image: number,
  kind: NoiseKind,
): void {
  for (let pixel = 0; pixel < INPUT_SIZE; pixel++) out[offset + pixel] = noisePixel(kind, seed, model, image, pixel);
}
