/**
 * A box of fixed height that tells its chart how wide it is. The height never changes, so the page
 * does not jump while training; the width follows the layout (phone, laptop, projector).
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Width used before (or without) a measurement, e.g. in tests where nothing has a layout. */
export const FALLBACK_WIDTH = 640;

interface Props {
  height: number;
  label: string;
  /** A width to use instead of measuring (a figure drawn for a file). */
  width?: number;
  children: (width: number) => ReactNode;
}

/**
 * The measured size of an element (0 × 0 before the first measurement, or where nothing has a
 * layout), followed as the layout changes; `skip` measures nothing (a fixed size is given instead).
 */
export function useBoxSize<T extends Element>(skip = false) {
  const box = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = box.current;
    if (!element || skip) return;
    const measure = () => {
      const { width, height } = element.getBoundingClientRect();
      setSize({ width: Math.floor(width), height: Math.floor(height) });
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [skip]);
  return [box, size] as const;
}

/** The measured width alone (useBoxSize). */
export function useWidth<T extends Element>(skip = false) {
  const [box, { width }] = useBoxSize<T>(skip);
  return [box, width] as const;
}

export function ChartFrame({ height, label, width: fixedWidth, children }: Props) {
  const [box, width] = useWidth<HTMLDivElement>(fixedWidth !== undefined);
  return (
    <div ref={box} className="chart-frame" style={{ height }} role="figure" aria-label={label}>
      {children(fixedWidth ?? (width > 0 ? width : FALLBACK_WIDTH))}
    </div>
  );
}
