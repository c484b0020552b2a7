/**
 * Colours as plain values (not CSS variables), so charts exported as SVG or PNG look the same
 * outside the page. One palette for light mode and one for dark, both high-contrast for projectors.
 */
import { useEffect, useState } from 'react';
import type { ConditionName } from '../../experiment/results';

export interface Palette {
  background: string;
  text: string;
  muted: string;
  grid: string;
  chance: string;
  paper: string;
  right: string;
  wrong: string;
  condition: Record<ConditionName, string>;
  /** Lines of one chart that are not conditions (a chain per m), in order. */
  series: readonly string[];
}

export const LIGHT: Palette = {
  background: '#ffffff',
  text: '#111418',
  muted: '#545b66',
  grid: '#d5d9de',
  chance: '#8a1c1c',
  paper: '#9aa3ad',
  right: '#0b7a3a',
  wrong: '#c01c1c',
  condition: {
    reference: '#6b7280',
    teacher: '#1d4ed8',
    student_aux: '#047857',
    student_all: '#65a30d',
    cross_aux: '#c2410c',
    cross_all: '#a16207',
  },
  series: ['#047857', '#6d28d9', '#0369a1', '#b45309', '#be185d', '#3f6212'],
};

export const DARK: Palette = {
  background: '#101317',
  text: '#f3f4f6',
  muted: '#aab2bd',
  grid: '#39414b',
  chance: '#fca5a5',
  paper: '#6b7480',
  right: '#4ade80',
  wrong: '#f87171',
  condition: {
    reference: '#a1a8b3',
    teacher: '#93b4ff',
    student_aux: '#34d399',
    student_all: '#bef264',
    cross_aux: '#fb923c',
    cross_all: '#facc15',
  },
  series: ['#34d399', '#c4b5fd', '#7dd3fc', '#fbbf24', '#f9a8d4', '#bef264'],
};

const DARK_QUERY = '(prefers-color-scheme: dark)';

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches;
}

/** The palette for the user's colour scheme, following changes live. */
export function usePalette(): Palette {
  const [dark, setDark] = useState(prefersDark);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const query = window.matchMedia(DARK_QUERY);
    const listener = (event: MediaQueryListEvent) => setDark(event.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  return dark ? DARK : LIGHT;
}
