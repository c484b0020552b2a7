/** One 28×28 picture (a digit in 0–255 or a noise image in [-1, 1]) drawn pixel for pixel on a canvas. */
import { useEffect, useRef } from 'react';

const SIDE = 28;

/** Grey levels 0–255 for a canvas: digits are drawn light on dark, as MNIST stores them. */
export function greyLevels(pixels: readonly number[], range: 'byte' | 'signed'): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(SIDE * SIDE * 4));
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = pixels[i] ?? 0;
    const grey = range === 'byte' ? v : ((v + 1) / 2) * 255;
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = grey;
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function DigitCanvas({
  pixels,
  range,
  label,
}: {
  pixels: readonly number[] | null;
  range: 'byte' | 'signed';
  label: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    if (!pixels) return context.clearRect(0, 0, SIDE, SIDE);
    context.putImageData(new ImageData(greyLevels(pixels, range), SIDE, SIDE), 0, 0);
  }, [pixels, range]);
  return (
    <canvas
      ref={canvas}
      className="picture"
      data-empty={pixels ? undefined : true}
      width={SIDE}
      height={SIDE}
      role="img"
      aria-label={label}
    />
  );
}
