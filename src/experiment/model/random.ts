/**
 * One seeded source of randomness for a run.
 *
 * Every draw is made from a stream named by (run seed, purpose, indices), so a model's
 * initialisation, shuffles and noise do not depend on how many other models share its stack.
 * That is what lets a run be split into chunks and still give the same numbers.
 *
 * Generator: xoshiro128** (fast, 32-bit, good statistics); streams are seeded through
 * splitmix32 hashing of the stream's name.
 */

/** Mixes a 32-bit value (the splitmix32 finaliser). */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Derives a 32-bit seed from a run seed and a stream name such as ('init', modelIndex). */
export function deriveSeed(seed: number, purpose: string, ...indices: number[]): number {
  let h = mix32(seed >>> 0);
  h = mix32(h ^ hashString(purpose));
  for (const index of indices) h = mix32(h ^ (index >>> 0));
  return h;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second Gaussian from the last Box–Muller pair. */
  private spareGaussian: number | null = null;

  constructor(seed: number) {
    this.s0 = mix32(seed);
    this.s1 = mix32(this.s0 ^ 0x1234567);
    this.s2 = mix32(this.s1 ^ 0x89abcdef);
    this.s3 = mix32(this.s2 ^ 0x2545f491);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A stream for one purpose of one run, e.g. `Random.stream(seed, 'noise', condition, model)`. */
  static stream(seed: number, purpose: string, ...indices: number[]): Random {
    return new Random(deriveSeed(seed, purpose, ...indices));
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, both values used). */
  nextGaussian(): number {
    if (this.spareGaussian !== null) {
      const g = this.spareGaussian;
      this.spareGaussian = null;
      return g;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  fillUniform(out: Float32Array, low: number, high: number, offset = 0, length = out.length - offset): void {
    const span = high - low;
    for (let i = offset; i < offset + length; i++) out[i] = low + span * this.next();
  }

  fillGaussian(out: Float32Array, mean: number, std: number, offset = 0, length = out.length - offset): void {
    for (let i = offset; i < offset + length; i++) out[i] = mean + std * this.nextGaussian();
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A uniformly random derangement of 0..n-1 (no fixed point), n ≥ 2, by rejection. */
  derangement(n: number): Int32Array {
    if (n < 2) throw new Error(`a derangement needs at least 2 elements, got ${n}`);
    for (;;) {
      const p = this.permutation(n);
      if (p.every((value, index) => value !== index)) return p;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
