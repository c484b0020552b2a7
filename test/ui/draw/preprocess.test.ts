import { describe, expect, it } from 'vitest';
import { rasterize } from '../../../src/ui/draw/ink';
import {
  DIGIT_BOX,
  FIELD_CENTRE,
  isBlank,
  preprocess,
  toMnistBytes,
  type InkGrid,
} from '../../../src/ui/draw/preprocess';

const SIDE = 280;

/** Centre of mass and bounding box of a 28 × 28 image (pixel index coordinates). */
function measure(bytes: ArrayLike<number>) {
  let [mass, sx, sy] = [0, 0, 0];
  let [left, right, top, bottom] = [28, -1, 28, -1];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = bytes[y * 28 + x];
      if (v <= 0) continue;
      mass += v;
      sx += v * x;
      sy += v * y;
      [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x), Math.min(top, y), Math.max(bottom, y)];
    }
  }
  return { cx: sx / mass, cy: sy / mass, width: right - left + 1, height: bottom - top + 1 };
}

describe('a drawing as an MNIST digit', () => {
  it('a blank pad is all background: -1 everywhere', () => {
    const blank: InkGrid = { width: SIDE, height: SIDE, ink: new Float32Array(SIDE * SIDE) };
    expect(isBlank(blank)).toBe(true);
    const pixels = preprocess(blank);
    expect(pixels).toHaveLength(784);
    expect(pixels.every((v) => v === -1)).toBe(true);
  });

  it('an off-centre stroke is scaled into the 20 × 20 box and centred by its centre of mass', () => {
    // A "7" squeezed into the top-left corner of the pad.
    const grid = rasterize(
      [
        [
          { x: 10, y: 12 },
          { x: 80, y: 12 },
          { x: 40, y: 110 },
        ],
      ],
      SIDE,
      14,
    );
    expect(isBlank(grid)).toBe(false);
    const bytes = toMnistBytes(grid);
    const { cx, cy, width, height } = measure(bytes);
    expect(Math.abs(cx - FIELD_CENTRE)).toBeLessThanOrEqual(1);
    expect(Math.abs(cy - FIELD_CENTRE)).toBeLessThanOrEqual(1);
    expect(Math.max(width, height)).toBe(DIGIT_BOX);
    expect(Math.min(width, height)).toBeLessThan(DIGIT_BOX); // the aspect ratio is kept
    // Anti-aliased: full ink inside the strokes, grey at their edges.
    expect(Math.max(...bytes)).toBe(255);
    expect(Array.from(bytes).some((v) => v > 0 && v < 255)).toBe(true);
  });

  it('a tall thin stroke stays thin (a "1" is not stretched into a block)', () => {
    const { width, height } = measure(
      toMnistBytes(
        rasterize(
          [
            [
              { x: 140, y: 40 },
              { x: 142, y: 240 },
            ],
          ],
          SIDE,
          20,
        ),
      ),
    );
    expect(height).toBe(DIGIT_BOX);
    expect(width).toBeLessThanOrEqual(5);
  });

  it('scales to the engine range: ink 1 → +1, paper → -1, grey in between as MNIST bytes would', () => {
    const ink = new Float32Array(40 * 40);
    for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) ink[y * 40 + x] = x < 20 ? 1 : 0.5;
    const pixels = preprocess({ width: 40, height: 40, ink });
    expect(Math.max(...pixels)).toBe(1);
    expect(Math.min(...pixels)).toBe(-1);
    const grey = Math.round(0.5 * 255) / 127.5 - 1;
    expect(pixels.filter((v) => Math.abs(v - grey) < 1e-6).length).toBeGreaterThan(100);
    pixels.forEach((v) => expect(Math.abs(v)).toBeLessThanOrEqual(1));
  });

  it('ignores faint fringes when finding the box, and refuses a grid too short for its size', () => {
    const ink = new Float32Array(100 * 100);
    ink[0] = 0.01; // a faint fringe far away
    for (let y = 40; y < 60; y++) for (let x = 45; x < 55; x++) ink[y * 100 + x] = 1;
    expect(measure(toMnistBytes({ width: 100, height: 100, ink }))).toMatchObject({ width: 10, height: 20 });
    expect(() => toMnistBytes({ width: 10, height: 10, ink: new Float32Array(50) })).toThrow(RangeError);
  });
});
