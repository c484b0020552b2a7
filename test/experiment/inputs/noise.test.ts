import { beforeAll, describe, expect, it } from 'vitest';
import { INPUT_SIZE } from '../../../src/experiment/config';
import { writeNoiseImage } from '../../../src/experiment/inputs/noise';
import { EpochOrders } from '../../../src/experiment/step/orders';
import { materialize } from '../../../src/experiment/step/stockKernels';
import * as tf from '../../../src/experiment/tf';
import { useWasm, values } from '../../support/engine';

beforeAll(useWasm);

function image(seed: number, model: number, n: number, kind: 'uniform' | 'gaussian' = 'uniform'): Float32Array {
  const out = new Float32Array(INPUT_SIZE);
  writeNoiseImage(out, 0, seed, model, n, kind);
  return out;
}

/** Which image of `model`'s set each row of a batch is, found by regenerating the set. */
function identify(rows: Float32Array, seed: number, model: number, setSize: number): number[] {
  const set = Array.from({ length: setSize }, (_, n) => image(seed, model, n));
  const found: number[] = [];
  for (let r = 0; r < rows.length / INPUT_SIZE; r++) {
    const row = rows.subarray(r * INPUT_SIZE, (r + 1) * INPUT_SIZE);
    found.push(set.findIndex((candidate) => candidate.every((v, i) => v === row[i])));
  }
  return found;
}

describe('the fixed noise set of each model', () => {
  it('regenerates the same image for the same (seed, model, index), and different ones otherwise', () => {
    expect(image(1, 0, 5)).toEqual(image(1, 0, 5));
    expect(image(1, 0, 5)).not.toEqual(image(1, 0, 6));
    expect(image(1, 0, 5)).not.toEqual(image(1, 1, 5));
    expect(image(1, 0, 5)).not.toEqual(image(2, 0, 5));
  });

  it('draws uniform pixels in [-1, 1] (mean 0, variance 1/3) and standard Gaussian ones', () => {
    const pixels = Array.from({ length: 200 }, (_, n) => Array.from(image(3, 0, n))).flat();
    expect(pixels.every((v) => v >= -1 && v <= 1)).toBe(true);
    const mean = pixels.reduce((s, v) => s + v, 0) / pixels.length;
    const variance = pixels.reduce((s, v) => s + v * v, 0) / pixels.length;
    expect(Math.abs(mean)).toBeLessThan(0.01); // sd of the mean ≈ 0.0015
    expect(Math.abs(variance - 1 / 3)).toBeLessThan(0.01);
    const gauss = Array.from({ length: 200 }, (_, n) => Array.from(image(3, 0, n, 'gaussian'))).flat();
    const gm = gauss.reduce((s, v) => s + v, 0) / gauss.length;
    const gv = gauss.reduce((s, v) => s + (v - gm) ** 2, 0) / gauss.length;
    expect(Math.abs(gm)).toBeLessThan(0.02);
    expect(Math.abs(gv - 1)).toBeLessThan(0.03);
  });

  it('gives each student its own shuffle of its model’s set every epoch, covering the set exactly once', async () => {
    const setSize = 12;
    // Students 0 and 1 use model 0's set, student 2 uses model 1's; each has its own order.
    const models = Int32Array.from([0, 0, 1]);
    const orderOf = new EpochOrders(9, 'noise-order', [0, 1, 2], setSize);
    const orders: number[][][] = [];
    for (const epoch of [0, 1]) {
      orderOf.beginEpoch(epoch);
      const seen: number[][] = [[], [], []];
      for (let start = 0; start < setSize; start += 5) {
        const size = Math.min(5, setSize - start);
        const batch = materialize({
          kind: 'noise',
          noise: 'uniform',
          seed: 9,
          models,
          index: orderOf.index(start, size),
          batch: size,
        });
        expect(batch.shape).toEqual([3, size, INPUT_SIZE]);
        const rows = await values(batch);
        batch.dispose();
        for (const student of [0, 1, 2]) {
          const model = student === 2 ? 1 : 0;
          seen[student].push(
            ...identify(
              rows.subarray(student * size * INPUT_SIZE, (student + 1) * size * INPUT_SIZE),
              9,
              model,
              setSize,
            ),
          );
        }
      }
      for (const order of seen)
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: setSize }, (_, i) => i));
      orders.push(seen);
    }
    expect(orders[0][0]).not.toEqual(orders[0][1]); // two students, two orders
    expect(orders[0][0]).not.toEqual(orders[1][0]); // reshuffled every epoch
    expect(tf.memory().numTensors).toBe(0);
  });
});
