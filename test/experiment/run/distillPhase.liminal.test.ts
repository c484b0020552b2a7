/** Which distillation steps carry liminal training's penalty: those that start before its window. */
import { describe, expect, it } from 'vitest';
import { liminalWindowHolds } from '../../../src/experiment/run/distillPhase';

/** The start sample of each step of `epochs` epochs of `images` in batches of `batch`, with its epoch. */
function steps(epochs: number, images: number, batch: number): [number, number][] {
  const out: [number, number][] = [];
  for (let epoch = 0; epoch < epochs; epoch++)
    for (let start = 0; start < images; start += batch) out.push([epoch, start]);
  return out;
}

describe('liminal training window', () => {
  const config = (liminalWindow: number) => ({ noiseImages: 5000, liminalWindow });
  const held = (window: number) =>
    steps(2, 5000, 64).filter(([epoch, start]) => liminalWindowHolds(config(window), epoch, start));

  it('holds for the steps that start before the window, in epochs (fractional allowed)', () => {
    // 79 steps per epoch: a tenth of an epoch is the steps that start below sample 500.
    expect(held(0.1)).toEqual(steps(1, 500, 64));
    expect(held(1)).toEqual(steps(1, 5000, 64));
    expect(held(1.5)).toHaveLength(79 + Math.ceil(2500 / 64));
    expect(held(3)).toHaveLength(2 * 79);
  });

  it('never holds for a window of 0, and is off for good once past', () => {
    expect(held(0)).toEqual([]);
    const all = steps(2, 5000, 64);
    const flags = all.map(([epoch, start]) => liminalWindowHolds(config(0.5), epoch, start));
    expect(flags.indexOf(false)).toBe(flags.lastIndexOf(true) + 1);
  });
});
