import { describe, expect, it } from 'vitest';
import { deriveSeed, Random } from '../../../src/experiment/model/random';

const N = 200_000;

function draws(random: Random, count: number, draw: (r: Random) => number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = draw(random);
  return out;
}

function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

function varianceOf(values: ArrayLike<number>): number {
  const mean = meanOf(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - mean) ** 2;
  return sum / (values.length - 1);
}

/** Pearson chi-square statistic of observed counts against equal expected counts. */
function chiSquareUniform(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('determinism', () => {
  it('the same seed gives the same sequence', () => {
    for (const seed of [0, 1, 42, 4294967295]) {
      const a = new Random(seed);
      const b = new Random(seed);
      const seqA = Array.from({ length: 1000 }, () => a.nextUint32());
      const seqB = Array.from({ length: 1000 }, () => b.nextUint32());
      expect(seqA).toEqual(seqB);
      // and the sequence actually moves
      expect(new Set(seqA).size).toBe(1000);
    }
  });

  it('the same stream name gives the same draws of every kind', () => {
    const a = Random.stream(7, 'noise', 2, 3);
    const b = Random.stream(7, 'noise', 2, 3);
    expect(draws(a, 100, (r) => r.next())).toEqual(draws(b, 100, (r) => r.next()));
    expect(draws(a, 101, (r) => r.nextGaussian())).toEqual(draws(b, 101, (r) => r.nextGaussian()));
    expect(a.permutation(50)).toEqual(b.permutation(50));
    expect(a.derangement(10)).toEqual(b.derangement(10));
    const fa = new Float32Array(64);
    const fb = new Float32Array(64);
    a.fillUniform(fa, -1, 1);
    b.fillUniform(fb, -1, 1);
    expect(fa).toEqual(fb);
    expect(new Random(deriveSeed(7, 'noise', 2, 3)).nextUint32()).toBe(Random.stream(7, 'noise', 2, 3).nextUint32());
  });

  it('different seeds give different sequences', () => {
    const firsts = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const r = new Random(seed);
      firsts.add(`${r.nextUint32()},${r.nextUint32()}`);
    }
    expect(firsts.size).toBe(200);
  });

  it('nextUint32 gives 32-bit unsigned integers that use the high and low bits', () => {
    const r = new Random(3);
    let high = 0;
    let low = 0;
    let malformed = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = r.nextUint32();
      if (!Number.isInteger(x) || x < 0 || x >= 2 ** 32) malformed++;
      if (x >= 2 ** 31) high++;
      if (x & 1) low++;
    }
    expect(malformed).toBe(0);
    // each bit is set about half the time: 10,000 draws, sd 50
    expect(Math.abs(high - 5000)).toBeLessThan(300);
    expect(Math.abs(low - 5000)).toBeLessThan(300);
  });
});

describe('deriveSeed', () => {
  it('is deterministic and a 32-bit unsigned integer', () => {
    expect(deriveSeed(5, 'init', 1)).toBe(deriveSeed(5, 'init', 1));
    for (const [seed, purpose, ...indices] of [
      [0, 'init'],
      [4294967295, 'noise', 3, 9],
      [123, '', 0],
    ] as [number, string, ...number[]][]) {
      const s = deriveSeed(seed, purpose, ...indices);
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(2 ** 32);
    }
  });

  it('separates purposes, indices, their order and count, and run seeds', () => {
    const seeds = [
      deriveSeed(1, 'init'),
      deriveSeed(1, 'init', 0),
      deriveSeed(1, 'init', 1),
      deriveSeed(1, 'init', 0, 0),
      deriveSeed(1, 'init', 0, 1),
      deriveSeed(1, 'init', 1, 0),
      deriveSeed(1, 'noise'),
      deriveSeed(1, 'noise', 0),
      deriveSeed(1, 'shuffle', 0),
      deriveSeed(1, 'inits', 0),
      deriveSeed(2, 'init', 0),
      deriveSeed(0, 'init', 0),
    ];
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  it('gives every (condition, model, epoch) its own stream', () => {
    const seen = new Set<number>();
    const firstDraws = new Set<number>();
    let count = 0;
    for (let condition = 0; condition < 6; condition++) {
      for (let model = 0; model < 20; model++) {
        for (let epoch = 0; epoch < 10; epoch++) {
          const seed = deriveSeed(0, 'noise', condition, model, epoch);
          seen.add(seed);
          firstDraws.add(new Random(seed).nextUint32());
          count++;
        }
      }
    }
    expect(seen.size).toBe(count);
    expect(firstDraws.size).toBe(count);
  });

  it('streams of neighbouring models are not shifted copies of each other', () => {
    const a = draws(Random.stream(0, 'init', 0), 2000, (r) => r.nextUint32());
    const b = draws(Random.stream(0, 'init', 1), 2000, (r) => r.nextUint32());
    const setA = new Set(a);
    const shared = Array.from(b).filter((x) => setA.has(x)).length;
    expect(shared).toBe(0);
  });
});

describe('uniform draws', () => {
  it('next() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const values = draws(new Random(11), N, (r) => r.next());
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(min).toBeLessThan(1e-3);
    expect(max).toBeGreaterThan(1 - 1e-3);
    // standard error of the mean: sqrt(1/12 / N) ≈ 6.5e-4 → 5 SE ≈ 3.2e-3
    expect(Math.abs(meanOf(values) - 0.5)).toBeLessThan(3.5e-3);
    // standard error of the variance: sqrt(1/180 / N) ≈ 1.7e-4 → 5 SE ≈ 8.3e-4
    expect(Math.abs(varianceOf(values) - 1 / 12)).toBeLessThan(1e-3);
  });

  it('next() fills ten equal bins evenly and consecutive draws are uncorrelated', () => {
    const values = draws(new Random(12), N, (r) => r.next());
    const counts = new Array<number>(10).fill(0);
    for (const v of values) counts[Math.floor(v * 10)]++;
    // chi-square with 9 degrees of freedom: P(> 27.9) = 0.001
    expect(chiSquareUniform(counts)).toBeLessThan(27.9);
    let cov = 0;
    for (let i = 1; i < N; i++) cov += (values[i] - 0.5) * (values[i - 1] - 0.5);
    const correlation = cov / (N - 1) / (1 / 12);
    // standard error ≈ 1/sqrt(N) ≈ 2.2e-3
    expect(Math.abs(correlation)).toBeLessThan(0.012);
  });

  it('nextInt(n) gives every integer in [0, n) equally often', () => {
    const r = new Random(13);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.nextInt(7)]++;
    // a non-integer or out-of-range k would have landed outside counts[0..6]
    expect(counts).toHaveLength(7);
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(70_000);
    // chi-square with 6 degrees of freedom: P(> 22.5) = 0.001
    expect(chiSquareUniform(counts)).toBeLessThan(22.5);
    for (let i = 0; i < 1000; i++) expect(r.nextInt(1)).toBe(0);
  });

  it('fillUniform(-1, 1) stays in [-1, 1] and is centred on 0 with variance 1/3', () => {
    const out = new Float32Array(N);
    new Random(14).fillUniform(out, -1, 1);
    let min = Infinity;
    let max = -Infinity;
    for (const v of out) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBeGreaterThanOrEqual(-1);
    expect(max).toBeLessThanOrEqual(1);
    expect(min).toBeLessThan(-0.999);
    expect(max).toBeGreaterThan(0.999);
    // SE of the mean sqrt(1/3 / N) ≈ 1.3e-3; SE of the variance sqrt(4/45 / N) ≈ 6.7e-4
    expect(Math.abs(meanOf(out))).toBeLessThan(7e-3);
    expect(Math.abs(varianceOf(out) - 1 / 3)).toBeLessThan(3.5e-3);
  });

  it('fillUniform uses the same draws as next(), scaled to [low, high)', () => {
    const out = new Float32Array(100);
    new Random(15).fillUniform(out, 2, 5);
    const r = new Random(15);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(Math.fround(2 + 3 * r.next()));
  });
});

describe('Gaussian draws', () => {
  it('nextGaussian has mean 0, sd 1 and the normal tails', () => {
    const values = draws(new Random(21), N, (r) => r.nextGaussian());
    // SE of the mean 1/sqrt(N) ≈ 2.2e-3; SE of the sd ≈ 1/sqrt(2N) ≈ 1.6e-3
    expect(Math.abs(meanOf(values))).toBeLessThan(0.011);
    expect(Math.abs(Math.sqrt(varianceOf(values)) - 1)).toBeLessThan(0.008);
    let within1 = 0;
    let within196 = 0;
    let fourth = 0;
    for (const v of values) {
      if (Math.abs(v) < 1) within1++;
      if (Math.abs(v) < 1.96) within196++;
      fourth += v ** 4;
    }
    // P(|z| < 1) = 0.6827 (SE ≈ 1.0e-3); P(|z| < 1.96) = 0.9500 (SE ≈ 4.9e-4)
    expect(Math.abs(within1 / N - 0.6827)).toBeLessThan(0.005);
    expect(Math.abs(within196 / N - 0.95)).toBeLessThan(0.0025);
    // E[z^4] = 3, sd of z^4 is sqrt(96) → SE ≈ 0.022
    expect(Math.abs(fourth / N - 3)).toBeLessThan(0.11);
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('the two values of each Box–Muller pair are uncorrelated', () => {
    const r = new Random(22);
    const pairs = 100_000;
    let sum = 0;
    for (let i = 0; i < pairs; i++) sum += r.nextGaussian() * r.nextGaussian();
    // SE of the correlation ≈ 1/sqrt(pairs) ≈ 3.2e-3
    expect(Math.abs(sum / pairs)).toBeLessThan(0.016);
  });

  it('fillGaussian scales by std and shifts by mean', () => {
    const out = new Float32Array(N);
    new Random(23).fillGaussian(out, 3, 2);
    // SE of the mean 2/sqrt(N) ≈ 4.5e-3; SE of the sd ≈ 2/sqrt(2N) ≈ 3.2e-3
    expect(Math.abs(meanOf(out) - 3)).toBeLessThan(0.022);
    expect(Math.abs(Math.sqrt(varianceOf(out)) - 2)).toBeLessThan(0.016);
    const r = new Random(23);
    for (let i = 0; i < 101; i++) expect(out[i]).toBe(Math.fround(3 + 2 * r.nextGaussian()));
  });
});

describe('offset and length of the fills', () => {
  const SENTINEL = 7.5;

  it('fillUniform(offset, length) writes only that range, with the stream\u2019s first draws', () => {
    const out = new Float32Array(40).fill(SENTINEL);
    new Random(31).fillUniform(out, -1, 1, 10, 5);
    const r = new Random(31);
    for (let i = 0; i < out.length; i++) {
      if (i >= 10 && i < 15) {
        expect(out[i]).toBe(Math.fround(-1 + 2 * r.next()));
        expect(Math.abs(out[i])).toBeLessThanOrEqual(1);
      } else {
        expect(out[i], `index ${i}`).toBe(SENTINEL);
      }
    }
  });

  it('fillUniform with only an offset fills to the end', () => {
    const out = new Float32Array(20).fill(SENTINEL);
    new Random(32).fillUniform(out, 0, 1, 12);
    for (let i = 0; i < 12; i++) expect(out[i]).toBe(SENTINEL);
    for (let i = 12; i < 20; i++) {
      expect(out[i]).toBeGreaterThanOrEqual(0);
      expect(out[i]).toBeLessThanOrEqual(1);
    }
  });

  it('fillGaussian(offset, length) writes only that range, with the stream\u2019s first draws', () => {
    const out = new Float32Array(40).fill(SENTINEL);
    new Random(33).fillGaussian(out, 0, 1, 3, 7);
    const r = new Random(33);
    for (let i = 0; i < out.length; i++) {
      if (i >= 3 && i < 10) expect(out[i]).toBe(Math.fround(r.nextGaussian()));
      else expect(out[i], `index ${i}`).toBe(SENTINEL);
    }
  });

  it('fillGaussian with only an offset fills to the end, and length 0 writes nothing', () => {
    const out = new Float32Array(20).fill(SENTINEL);
    const r = new Random(34);
    r.fillGaussian(out, 0, 1, 15);
    for (let i = 0; i < 15; i++) expect(out[i]).toBe(SENTINEL);
    for (let i = 15; i < 20; i++) expect(out[i]).not.toBe(SENTINEL);
    const untouched = new Float32Array(10).fill(SENTINEL);
    r.fillGaussian(untouched, 0, 1, 4, 0);
    r.fillUniform(untouched, 0, 1, 4, 0);
    expect(Array.from(untouched)).toEqual(new Array(10).fill(SENTINEL));
  });

  it('filling an array in two halves gives the same numbers as filling it at once', () => {
    const whole = new Float32Array(31);
    new Random(35).fillGaussian(whole, 0, 1);
    const halves = new Float32Array(31);
    const r = new Random(35);
    r.fillGaussian(halves, 0, 1, 0, 15);
    r.fillGaussian(halves, 0, 1, 15, 16);
    expect(halves).toEqual(whole);
  });
});

describe('permutation', () => {
  const isPermutation = (p: Int32Array, n: number) => {
    const sorted = Array.from(p).sort((a, b) => a - b);
    return p.length === n && sorted.every((value, index) => value === index);
  };

  it('is a permutation of 0..n-1 for every n', () => {
    const r = new Random(41);
    for (const n of [0, 1, 2, 3, 5, 10, 100, 1000]) {
      const p = r.permutation(n);
      expect(p).toBeInstanceOf(Int32Array);
      expect(isPermutation(p, n), `n = ${n}`).toBe(true);
    }
    const big = r.permutation(1000);
    // a shuffle of 1000 leaves about one element in place, never most of them
    expect(big.filter((value, index) => value === index).length).toBeLessThan(10);
  });

  it('puts each element first equally often (n = 4)', () => {
    const r = new Random(42);
    const trials = 40_000;
    const first = [0, 0, 0, 0];
    const last = [0, 0, 0, 0];
    for (let t = 0; t < trials; t++) {
      const p = r.permutation(4);
      first[p[0]]++;
      last[p[3]]++;
    }
    // SE of a frequency sqrt(0.25·0.75 / 40000) ≈ 2.2e-3 → 5 SE ≈ 0.011
    for (let k = 0; k < 4; k++) {
      expect(Math.abs(first[k] / trials - 0.25)).toBeLessThan(0.011);
      expect(Math.abs(last[k] / trials - 0.25)).toBeLessThan(0.011);
    }
  });

  it('gives all 24 orders of 4 elements equally often', () => {
    const r = new Random(43);
    const counts = new Map<string, number>();
    const trials = 48_000;
    for (let t = 0; t < trials; t++) {
      const key = Array.from(r.permutation(4)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    // chi-square with 23 degrees of freedom: P(> 49.7) = 0.001
    expect(chiSquareUniform([...counts.values()])).toBeLessThan(49.7);
  });
});

describe('derangement', () => {
  it('never leaves an element in place', () => {
    const r = new Random(51);
    for (const n of [2, 3, 4, 5, 7, 10, 50]) {
      for (let t = 0; t < 2000; t++) {
        const p = r.derangement(n);
        const sorted = Array.from(p).sort((a, b) => a - b);
        if (p.length !== n || !sorted.every((value, index) => value === index))
          expect.fail(`not a permutation: ${Array.from(p)}`);
        for (let i = 0; i < n; i++) if (p[i] === i) expect.fail(`fixed point ${i} in ${Array.from(p)} (n = ${n})`);
      }
    }
  });

  it('of two elements is the swap', () => {
    const r = new Random(52);
    for (let t = 0; t < 20; t++) expect(Array.from(r.derangement(2))).toEqual([1, 0]);
  });

  it('covers the derangements evenly (2 of 3 elements, 9 of 4)', () => {
    const r = new Random(53);
    const three = new Map<string, number>();
    for (let t = 0; t < 10_000; t++) {
      const key = Array.from(r.derangement(3)).join('');
      three.set(key, (three.get(key) ?? 0) + 1);
    }
    expect([...three.keys()].sort()).toEqual(['120', '201']);
    // chi-square with 1 degree of freedom: P(> 10.8) = 0.001
    expect(chiSquareUniform([...three.values()])).toBeLessThan(10.8);

    const four = new Map<string, number>();
    for (let t = 0; t < 18_000; t++) {
      const key = Array.from(r.derangement(4)).join('');
      four.set(key, (four.get(key) ?? 0) + 1);
    }
    expect(four.size).toBe(9);
    // chi-square with 8 degrees of freedom: P(> 26.1) = 0.001
    expect(chiSquareUniform([...four.values()])).toBeLessThan(26.1);
  });

  it('throws for fewer than two elements', () => {
    const r = new Random(54);
    expect(() => r.derangement(1)).toThrow(/at least 2 elements, got 1/);
    expect(() => r.derangement(0)).toThrow(/at least 2 elements, got 0/);
    expect(() => r.derangement(-3)).toThrow(/at least 2/);
  });
});
