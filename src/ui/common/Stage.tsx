/** One of the four stages of the story: a number, a title, a few plain sentences and a picture. */
import type { ReactNode } from 'react';

export function Stage({
  number,
  title,
  children,
  className,
}: {
  number: number;
  title: string;
  children: ReactNode;
  className?: string;
}) {
  const id = `stage-${number}-title`;
  return (
    <section className={`stage ${className ?? ''}`} aria-labelledby={id}>
      <h2 id={id}>
        <span className="stage-number" aria-hidden="true">
          {number}
        </span>
        {title}
      </h2>
      {children}
    </section>
  );
}
