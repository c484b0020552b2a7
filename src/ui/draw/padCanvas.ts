/** The drawing pad's canvas: its size, the pen, showing a stroke, and where a pointer is on it. */
import type { Point } from './ink';

/** The pad's own resolution, whatever size it is shown at. */
export const PAD_SIDE = 280;
/**
 * The pen: MNIST strokes are 2–3 pixels wide in a 20-pixel box, so a digit drawn across most of
 * the pad (about 200 of its pixels) wants a pen of about 22.
 */
export const PEN_WIDTH = 22;

/** The canvas's 2D context set up as the pen, or null before the canvas exists. */
function penContext(canvas: HTMLCanvasElement | null): CanvasRenderingContext2D | null {
  const ctx = canvas?.getContext('2d');
  if (!ctx || !canvas) return null;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = PEN_WIDTH;
  ctx.strokeStyle = ctx.fillStyle = getComputedStyle(canvas).color || '#111418';
  return ctx;
}

/** Shows a stroke's newest piece, from `from` to `to` (a dot when they are the same point). */
export function showPiece(canvas: HTMLCanvasElement | null, from: Point, to: Point): void {
  const ctx = penContext(canvas);
  if (!ctx) return;
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
  if (from === to) {
    ctx.beginPath();
    ctx.arc(from.x, from.y, PEN_WIDTH / 2, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Where the pointer is, in pad pixels (the pad may be shown smaller or larger). */
export function padPoint(canvas: HTMLCanvasElement, event: { clientX: number; clientY: number }): Point {
  const rect = canvas.getBoundingClientRect();
  const scaleX = rect.width > 0 ? PAD_SIDE / rect.width : 1;
  const scaleY = rect.height > 0 ? PAD_SIDE / rect.height : 1;
  return { x: (event.clientX - rect.left) * scaleX, y: (event.clientY - rect.top) * scaleY };
}
