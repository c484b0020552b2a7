/**
 * A section that folds away (a native <details>): open or closed by default as the page's mode asks
 * (settings closed on a phone and in presenter mode), and the user's own clicks win until the mode
 * changes again.
 */
import { useState, type ReactNode } from 'react';

interface Props {
  summary: ReactNode;
  defaultOpen: boolean;
  className?: string;
  children: ReactNode;
}

export function Fold({ summary, defaultOpen, className, children }: Props) {
  const [open, setOpen] = useState(defaultOpen);
  // The mode changed: its default wins again (set while rendering, as React advises, not in an effect).
  const [modeDefault, setModeDefault] = useState(defaultOpen);
  if (modeDefault !== defaultOpen) {
    setModeDefault(defaultOpen);
    setOpen(defaultOpen);
  }
  return (
    <details
      className={`fold${className ? ` ${className}` : ''}`}
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>{summary}</summary>
      {children}
    </details>
  );
}
