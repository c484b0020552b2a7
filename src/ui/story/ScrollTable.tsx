/**
 * A table that may be wider than a phone: it scrolls sideways inside its box, with a shadow on the
 * side that has more, and a "scroll →" hint while anything is hidden. The box can take keyboard
 * focus, so the arrow keys scroll it too.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import './story.css';

export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState({ left: false, right: false });
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => {
      const hidden = element.scrollWidth - element.clientWidth;
      const next = { left: element.scrollLeft > 1, right: hidden - element.scrollLeft > 1 };
      setMore((last) => (last.left === next.left && last.right === next.right ? last : next));
    };
    measure();
    element.addEventListener('scroll', measure, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(element);
    if (element.firstElementChild) observer?.observe(element.firstElementChild);
    return () => {
      element.removeEventListener('scroll', measure);
      observer?.disconnect();
    };
  }, []);
  const scrolls = more.left || more.right;
  return (
    <div className={`scroll-table${more.left ? ' more-left' : ''}${more.right ? ' more-right' : ''}`}>
      <div ref={box} className="scroll-table-box" role="region" aria-label={label} tabIndex={0}>
        {children}
      </div>
      {scrolls && (
        <p className="scroll-hint" aria-hidden="true">
          {more.right ? 'scroll for more →' : '← scroll back'}
        </p>
      )}
    </div>
  );
}
