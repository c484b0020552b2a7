/**
 * Noise pixels from a counter-based hash: pixel p of noise image n of model i is a pure function
 * of (seed, i, n, p). The host (CPU backends) and the GPU kernels compute the very same bits, so
 * the noise never has to be stored or uploaded, on any backend.
 *
 * The hash is PCG's output permutation (Jarzynski & Olano, "Hash Functions for GPU Rendering",
 * 2020), chained over the four counters. Only 32-bit integer multiply, xor and shifts: exact in
 * both JavaScript (Math.imul, >>> 0) and WGSL (u32 wraps).
 */
import type { NoiseKind } from '../config';

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
 * `noisePixel(seed, model, image, pixel)` for the given kind. Uniform noise is bit-exact; for
 * Gaussian noise, Vulkan lets the builtin cos be off by 2^-11 (8e-4 seen on SwiftShader), so
 * log and cos are written out here, within 5e-7 of the host's.
 */
export function noiseWgsl(kind: NoiseKind): string {
  const pixelBody =
    kind === 'uniform'
      ? 'return f32(noiseBits(seed, model, image, pixel) >> 8u) * 5.9604644775390625e-8 * 2.0 - 1.0;'
      : `let u1 = f32((noiseBits(seed, model, image, 2u * pixel) >> 8u) + 1u) * 5.9604644775390625e-8;
  let u2 = f32(noiseBits(seed, model, image, 2u * pixel + 1u) >> 8u) * 5.9604644775390625e-8;
  return sqrt(-2.0 * logUnit(u1)) * cosTurn(u2);`;
  return `
fn pcgHash(value: u32) -> u32 {
  let state = value * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}
fn noiseBits(seed: u32, model: u32, image: u32, draw: u32) -> u32 {
  return pcgHash(seed ^ pcgHash(model ^ pcgHash(image ^ pcgHash(draw))));
}
// ln(u) for u in (0, 1]: the builtin (3 ulp away from [0.5, 2]) below 0.5, else 2·atanh((u−1)/(u+1)).
fn logUnit(u: f32) -> f32 {
  if (u < 0.5) { return log(u); }
  let s = (u - 1.0) / (u + 1.0);
  let s2 = s * s;
  return 2.0 * s * (1.0 + s2 * (0.3333333333333333 + s2 * (0.2 + s2 * (0.14285714285714285 + s2 * (0.1111111111111111 + s2 * (0.09090909090909091 + s2 * 0.07692307692307693))))));
}
// cos(2π·t) for t in [0, 1): quadrant by quadrant, Taylor polynomials on [0, π/4].
fn cosTurn(t: f32) -> f32 {
  let quarter = t * 4.0;
  let q = i32(floor(quarter));
  let f = quarter - f32(q);
  var useSin = (q & 1) == 1;
  var g = f;
  if (f > 0.5) {
    g = 1.0 - f;
    useSin = !useSin;
  }
  let x = g * 1.5707963267948966;
  let x2 = x * x;
  let sine = x * (1.0 + x2 * (-0.16666666666666666 + x2 * (0.008333333333333333 + x2 * (-0.0001984126984126984 + x2 * 2.7557319223985893e-6))));
  let cosine = 1.0 + x2 * (-0.5 + x2 * (0.041666666666666664 + x2 * (-0.001388888888888889 + x2 * (2.48015873015873e-5 - x2 * 2.755731922398589e-7))));
  let value = select(cosine, sine, useSin);
  return select(value, -value, q == 1 || q == 2);
}
fn noisePixel(seed: u32, model: u32, image: u32, pixel: u32) -> f32 {
  ${pixelBody}
}
`;
}
