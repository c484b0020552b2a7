/**
 * A drawing as MNIST was made (LeCun et al.): the ink's bounding box scaled to fit a 20 × 20 box,
 * keeping its aspect ratio, anti-aliased; then put in a 28 × 28 field with its centre of mass at
 * the field's centre; then scaled as the engine scales MNIST bytes (0–255 → [-1, 1], ink high).
 * Pure: any ink grid in, 784 numbers out; no DOM.
 */
import { MNIST_SIDE, scalePixels } from '../../data/mnist';

/** A drawing as ink coverage per pixel, 0 (paper) … 1 (ink), row-major, any size. */
export interface InkGrid {
  width: number;
  height: number;
  ink: ArrayLike<number>;
}

/** MNIST's digits fit a 20 × 20 box… */
export const DIGIT_BOX = 20;
/**
 * …whose centre of mass sits at the middle of the 28 × 28 field: pixel (14, 14) counting from 0,
 * as measured on the MNIST test set (mean 14.00, 13.99).
 */
export const FIELD_CENTRE = 14;

/**
 * Ink below this is paper: a faint anti-aliased fringe does not stretch the bounding box. (Kept
 * low: MNIST's own boxes hold every grey pixel, so an MNIST digit enlarged in blocks comes back
 * byte for byte; a drawing's crisp edges make the level matter little.)
 */
const INK_THRESHOLD = 0.02;

export function isBlank(grid: InkGrid): boolean {
  for (let i = 0; i < grid.width * grid.height; i++) if (grid.ink[i] > INK_THRESHOLD) return false;
  return true;
}

/** The drawing as an MNIST image: 784 bytes, 0 = background, 255 = ink. A blank grid gives all zeros. */
export function toMnistBytes(grid: InkGrid): Uint8Array {
  const { width, height, ink } = grid;
  if (ink.length < width * height)
    throw new RangeError(`an ink grid of ${width} × ${height} needs ${width * height} values, got ${ink.length}`);
  const out = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  // The ink's bounding box.
  let [left, right, top, bottom] = [width, -1, height, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] <= INK_THRESHOLD) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  if (right < 0) return out;
  const [boxWidth, boxHeight] = [right - left + 1, bottom - top + 1];
  // The longer side becomes 20 pixels, the other keeps the aspect ratio.
  const scale = DIGIT_BOX / Math.max(boxWidth, boxHeight);
  const [digitWidth, digitHeight] = [
    Math.max(1, Math.round(boxWidth * scale)),
    Math.max(1, Math.round(boxHeight * scale)),
  ];
  const digit = resample(grid, left, top, boxWidth, boxHeight, digitWidth, digitHeight);

  // Centre of mass (pixel index coordinates), then a whole-pixel shift that puts it at the centre;
  // kept inside the field, so that a lopsided drawing is moved less rather than cut.
  let [mass, sumX, sumY] = [0, 0, 0];
  for (let y = 0; y < digitHeight; y++) {
    for (let x = 0; x < digitWidth; x++) {
      const v = digit[y * digitWidth + x];
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  const place = (centre: number, size: number) =>
    Math.min(MNIST_SIDE - size, Math.max(0, Math.round(FIELD_CENTRE - centre)));
  const offsetX = place(mass > 0 ? sumX / mass : (digitWidth - 1) / 2, digitWidth);
  const offsetY = place(mass > 0 ? sumY / mass : (digitHeight - 1) / 2, digitHeight);
  for (let y = 0; y < digitHeight; y++) {
    for (let x = 0; x < digitWidth; x++) {
      out[(y + offsetY) * MNIST_SIDE + x + offsetX] = Math.round(
        Math.min(1, Math.max(0, digit[y * digitWidth + x])) * 255,
      );
    }
  }
  return out;
}

/** The 784 values the models read: the MNIST image of the drawing, scaled to [-1, 1] as the engine scales MNIST. */
export function preprocess(grid: InkGrid): number[] {
  return Array.from(scalePixels(toMnistBytes(grid)));
}

/**
 * Box [left, left + w) × [top, top + h) of the grid resampled to outW × outH by area averaging:
 * each output pixel is the mean ink over the part of the box it covers (anti-aliased when
 * shrinking, a smooth enlargement when a drawing is smaller than the box).
 */
function resample(
  grid: InkGrid,
  left: number,
  top: number,
  w: number,
  h: number,
  outW: number,
  outH: number,
): Float64Array {
  const columns = coverage(w, outW);
  const rows = coverage(h, outH);
  // Rows first: every source row of the box squeezed to outW values, then the columns.
  const squeezed = new Float64Array(h * outW);
  for (let y = 0; y < h; y++) {
    const row = (top + y) * grid.width + left;
    for (let x = 0; x < outW; x++) {
      let sum = 0;
      for (const [source, weight] of columns[x]) sum += weight * grid.ink[row + source];
      squeezed[y * outW + x] = sum;
    }
  }
  const out = new Float64Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      let sum = 0;
      for (const [source, weight] of rows[y]) sum += weight * squeezed[source * outW + x];
      out[y * outW + x] = sum;
    }
  }
  return out;
}

/** For each of `to` output cells over `from` source cells: the source cells it overlaps, weighted by overlap (weights sum to 1). */
function coverage(from: number, to: number): [number, number][][] {
  const step = from / to;
  return Array.from({ length: to }, (_, i) => {
    const [start, end] = [i * step, (i + 1) * step];
    const cells: [number, number][] = [];
    for (let source = Math.floor(start); source < Math.min(from, Math.ceil(end)); source++) {
      const overlap = Math.min(end, source + 1) - Math.max(start, source);
      if (overlap > 1e-12) cells.push([source, overlap / step]);
    }
    return cells;
  });
}
