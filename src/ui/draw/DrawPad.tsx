/**
 * The drawing pad: a square canvas for the mouse, a finger or a pen (Pointer Events, one pointer at
 * a time), and a Clear button. What the models read is the strokes' geometry rasterised by ink.ts,
 * not the canvas's pixels: the canvas only shows them.
 */
import { useCallback, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { rasterize, type Point, type Stroke } from './ink';
import { PAD_SIDE, PEN_WIDTH, padPoint, showPiece } from './padCanvas';
import type { InkGrid } from './preprocess';

export { PAD_SIDE, PEN_WIDTH } from './padCanvas';

/** While a stroke goes on, the models read it at most this often. */
export const READ_EVERY_MS = 100;

export interface DrawPadProps {
  /** The drawing so far: after every stroke (`done`), now and then during one, and null once cleared. */
  onInk(grid: InkGrid | null, done: boolean): void;
}

export function DrawPad({ onInk }: DrawPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Stroke[]>([]);
  const pointer = useRef<number | null>(null);
  const lastRead = useRef(0);

  const show = (from: Point, to: Point) => showPiece(canvas.current, from, to);
  const ink = () => rasterize(strokes.current, PAD_SIDE, PEN_WIDTH);

  const at = (event: { clientX: number; clientY: number }) => padPoint(canvas.current!, event);

  const onPointerDown = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (pointer.current !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    pointer.current = event.pointerId;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const point = at(event);
    strokes.current.push([point]);
    show(point, point);
    lastRead.current = performance.now();
  };

  const onPointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (event.pointerId !== pointer.current) return;
    event.preventDefault();
    const stroke = strokes.current.at(-1)!;
    // A pen or a fast finger reports more points than events: take them all for a smooth line.
    const native = event.nativeEvent;
    const coalesced = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    for (const sample of coalesced.length > 0 ? coalesced : [event]) {
      const point = at(sample);
      show(stroke[stroke.length - 1], point);
      stroke.push(point);
    }
    const now = performance.now();
    if (now - lastRead.current >= READ_EVERY_MS) {
      lastRead.current = now;
      onInk(ink(), false);
    }
  };

  const onPointerEnd = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (event.pointerId !== pointer.current) return;
    pointer.current = null;
    onInk(ink(), true);
  };

  const clear = useCallback(() => {
    strokes.current = [];
    pointer.current = null;
    canvas.current?.getContext('2d')?.clearRect(0, 0, PAD_SIDE, PAD_SIDE);
    onInk(null, true);
  }, [onInk]);

  return (
    <div className="draw-pad">
      <canvas
        ref={canvas}
        className="draw-canvas"
        width={PAD_SIDE}
        height={PAD_SIDE}
        data-testid="draw-pad"
        role="img"
        aria-label="Drawing pad: draw one digit, 0 to 9, with the mouse, a finger or a pen"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
      />
      <button type="button" className="secondary" onClick={clear}>
        Clear
      </button>
    </div>
  );
}
