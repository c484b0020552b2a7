/** The jargon and formulas of a stage, on demand: a native <details> that starts closed. */
import type { ReactNode } from 'react';
import './story.css';

export function InDetail({
  title = 'In detail',
  children,
  testId,
}: {
  title?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <details className="in-detail" data-testid={testId}>
      <summary>{title}</summary>
      <div className="in-detail-body">{children}</div>
    </details>
  );
}
