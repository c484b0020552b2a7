/**
 * What every accuracy chart shares: a 0–100% y axis, the dashed chance line at 10% and, for live
 * curves, an x axis in epochs, as props to
 * spread on recharts' own YAxis and ReferenceLine (recharts reads its children by type, so they
 * cannot be wrapped in components of ours).
 */
import { percent } from './format';
import type { Palette } from './palette';

/** Ten digits: a guess is right one time in ten. */
export const CHANCE = 0.1;

export function accuracyAxisProps(palette: Palette) {
  return {
    domain: [0, 1] as [number, number],
    ticks: [0, 0.25, 0.5, 0.75, 1],
    tickFormatter: (v: number) => percent(v),
    stroke: palette.muted,
    tick: { fill: palette.text, fontSize: 14 },
    width: 52,
  };
}

export function chanceLineProps(palette: Palette) {
  return {
    y: CHANCE,
    stroke: palette.chance,
    strokeDasharray: '6 4',
    strokeWidth: 2,
    label: { value: 'chance 10%', position: 'insideTopRight' as const, fill: palette.chance, fontSize: 13 },
  };
}

/** An x axis from 0 to `epochs` (curve points carry fractional epochs); `fontSize` 13 for small charts. */
export function epochAxisProps(palette: Palette, epochs: number, fontSize: 13 | 14) {
  return {
    type: 'number' as const,
    dataKey: 'epoch',
    domain: [0, epochs] as [number, number],
    allowDecimals: true,
    tickCount: Math.min(epochs + 1, fontSize === 13 ? 5 : 6),
    stroke: palette.muted,
    tick: { fill: palette.text, fontSize },
    label: { value: 'epochs', position: 'insideBottom' as const, offset: fontSize === 13 ? -14 : -18, fill: palette.muted, fontSize },
  };
}
