/**
 * Strokes as ink: each stroke a polyline drawn with a round pen, rasterised by distance to its
 * segments with a one-pixel anti-aliased edge. Pure, so the drawing the models read does not
 * depend on a canvas (and tests can draw without one); the canvas only shows it.
 */
import type { InkGrid } from './preprocess';

export interface Point {
  x: number;
  y: number;
}

export type Stroke = Point[];

/** Ink coverage of `strokes` (in pixel coordinates of a side × side pad) with a pen of width `penWidth`. */
export function rasterize(strokes: readonly Stroke[], side: number, penWidth: number): InkGrid {
  const ink = new Float32Array(side * side);
  const radius = penWidth / 2;
  for (const stroke of strokes) {
    if (stroke.length === 0) continue;
    // A tap is a dot: a segment of length zero.
    const points = stroke.length === 1 ? [stroke[0], stroke[0]] : stroke;
    for (let i = 1; i < points.length; i++) segment(ink, side, points[i - 1], points[i], radius);
  }
  return { width: side, height: side, ink };
}

function segment(ink: Float32Array, side: number, a: Point, b: Point, radius: number) {
  const reach = radius + 1;
  const [x0, x1] = [
    Math.max(0, Math.floor(Math.min(a.x, b.x) - reach)),
    Math.min(side - 1, Math.ceil(Math.max(a.x, b.x) + reach)),
  ];
  const [y0, y1] = [
    Math.max(0, Math.floor(Math.min(a.y, b.y) - reach)),
    Math.min(side - 1, Math.ceil(Math.max(a.y, b.y) + reach)),
  ];
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const length2 = dx * dx + dy * dy;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      // Distance from the pixel's centre to the segment.
      const [px, py] = [x + 0.5 - a.x, y + 0.5 - a.y];
      const t = length2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / length2)) : 0;
      const distance = Math.hypot(px - t * dx, py - t * dy);
      const cover = Math.min(1, Math.max(0, radius + 0.5 - distance));
      const i = y * side + x;
      if (cover > ink[i]) ink[i] = cover;
    }
  }
}
