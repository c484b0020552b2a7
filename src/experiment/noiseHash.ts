/**
 * Noise pixels from a counter-based hash: pixel p of noise image n of model i is a pure function
 * of (seed, i, n, p). The host (CPU backends) and the GPU kernels compute the very same bits, so
 * the noise never has to be stored or uploaded, on any backend.
 *
 * The hash is PCG's output permutation (Jarzynski & Olano, "Hash Functions for GPU Rendering",
 * 2020), chained over the four counters. Only 32-bit integer multiply, xor and shifts: exact in
 * both JavaScript (Math.imul, >>> 0) and WGSL (u32 wraps).
 */
import type { NoiseKind } from './config';

export function pcgHash(value: number): number {
  const state = (Math.imul(value >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul((state >>> ((state >>> 28) + 4)) ^ state, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The 32 random bits behind one draw. */
export function noiseBits(seed: number, model: number, image: number, draw: number): number {
  return pcgHash((seed >>> 0) ^ pcgHash((model >>> 0) ^ pcgHash((image >>> 0) ^ pcgHash(draw >>> 0))));
}

const TWO_POW_MINUS_24 = 1 / 16777216;

/** Pixel `pixel` of a noise image: uniform in [-1, 1) or standard Gaussian (Box–Muller). */
export function noisePixel(kind: NoiseKind, seed: number, model: number, image: number, pixel: number): number {
  if (kind === 'uniform') return (noiseBits(seed, model, image, pixel) >>> 8) * TWO_POW_MINUS_24 * 2 - 1;
  // Two uniforms per pixel; u1 in (0, 1] keeps the logarithm finite.
  const u1 = ((noiseBits(seed, model, image, 2 * pixel) >>> 8) + 1) * TWO_POW_MINUS_24;
  const u2 = (noiseBits(seed, model, image, 2 * pixel + 1) >>> 8) * TWO_POW_MINUS_24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * The same functions in WGSL, for kernels that make noise where they read it:
 * `noisePixel(seed, model, image, pixel)` for the given kind.
 */
export function noiseWgsl(kind: NoiseKind): string {
  const pixelBody =
    kind === 'uniform'
      ? 'return f32(noiseBits(seed, model, image, pixel) >> 8u) * 5.9604644775390625e-8 * 2.0 - 1.0;'
      : `let u1 = f32((noiseBits(seed, model, image, 2u * pixel) >> 8u) + 1u) * 5.9604644775390625e-8;
  let u2 = f32(noiseBits(seed, model, image, 2u * pixel + 1u) >> 8u) * 5.9604644775390625e-8;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);`;
  return `
fn pcgHash(value: u32) -> u32 {
  let state = value * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}
fn noiseBits(seed: u32, model: u32, image: u32, draw: u32) -> u32 {
  return pcgHash(seed ^ pcgHash(model ^ pcgHash(image ^ pcgHash(draw))));
}
fn noisePixel(seed: u32, model: u32, image: u32, pixel: u32) -> f32 {
  ${pixelBody}
}
`;
}
