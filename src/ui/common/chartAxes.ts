/**
 * What every accuracy chart shares: a 0–100% y axis, the dashed chance line at 10% and, for live
 * curves, an x axis in epochs, as props to
 * spread on recharts' own YAxis and ReferenceLine (recharts reads its children by type, so they
 * cannot be wrapped in components of ours).
 */
import { createElement } from 'react';
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

/** Right margin a chart leaves for the chance label drawn outside its plot: "chance" at the page's chart text size. */
export const CHANCE_LABEL_MARGIN = 74;

/** The same on a phone-sized chart, where the page's text is smaller and every pixel counts. */
export function chanceMargin(chartWidth: number): number {
  return chartWidth < 560 ? 58 : CHANCE_LABEL_MARGIN;
}

interface LabelBox {
  x?: number;
  y?: number;
  width?: number;
  upperWidth?: number;
}

/**
 * "chance" over "10%" just right of the line's end, outside the plot, so it never sits on a bar or a
 * curve. One <text>, so its text reads "chance 10%".
 */
function outsideChanceLabel(palette: Palette) {
  return function ChanceLabel(props: { viewBox?: unknown }) {
    const viewBox = props.viewBox as LabelBox | undefined;
    const x = (viewBox?.x ?? 0) + (viewBox?.width ?? viewBox?.upperWidth ?? 0) + 6;
    const y = viewBox?.y ?? 0;
    return createElement(
      'text',
      { className: 'chance-label', x, y, fill: palette.chance, fontSize: 13, fontWeight: 600 },
      createElement('tspan', { x, dy: '-0.2em' }, 'chance '),
      createElement('tspan', { x, dy: '1.1em' }, '10%'),
    );
  };
}

/** The dashed chance line at 10%, its label inside the plot's top right (the explore charts). */
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
    label: {
      value: 'epochs',
      position: 'insideBottom' as const,
      offset: fontSize === 13 ? -14 : -18,
      fill: palette.muted,
      fontSize,
    },
  };
}

/**
 * The chance line for the story's charts: its label beyond the plot's right end, never over a bar
 * or a curve; the chart leaves CHANCE_LABEL_MARGIN on its right.
 */
export function chanceLineOutsideProps(palette: Palette) {
  return {
    y: CHANCE,
    stroke: palette.chance,
    strokeDasharray: '6 4',
    strokeWidth: 2,
    label: { content: outsideChanceLabel(palette) },
  };
}

/** Steps the students train: one per batch of noise images, every epoch (the engine's stepsPerEpoch). */
export function distillSteps(config: { studentEpochs: number; noiseImages: number; batchSize: number }): number {
  return config.studentEpochs * Math.ceil(config.noiseImages / config.batchSize);
}

/**
 * Where a curve row sits on a log-step axis: its step + 1. Step 0, the untrained start, cannot sit
 * on a log axis (log 0 is −∞), and dropping it would lose where every student began; one step
 * later on the axis, it is marked "start", and a tick at step n sits at n + 1.
 */
export const logStepX = (row: unknown) => (row as { step: number }).step + 1;

/** Ticks of a log-step axis: the start, every power of ten of steps well before the end, and the end. */
export function logStepTicks(totalSteps: number): number[] {
  const ticks = [1];
  // A power of ten within a factor 2 of the end would print over the end's label.
  for (let steps = 10; steps * 2 <= totalSteps; steps *= 10) ticks.push(steps + 1);
  if (totalSteps > 0) ticks.push(totalSteps + 1);
  return ticks;
}

/**
 * An x axis of steps on a log scale, from the start (step 0, drawn at 1) to the last step: the first
 * steps, when most of a trait arrives (the critical period), get as much room as the rest.
 */
export function logStepAxisProps(palette: Palette, totalSteps: number, fontSize: 13 | 14) {
  return {
    type: 'number' as const,
    scale: 'log' as const,
    dataKey: logStepX,
    domain: [1, Math.max(2, totalSteps + 1)] as [number, number],
    allowDataOverflow: true,
    ticks: logStepTicks(totalSteps),
    tickFormatter: (x: number) => (x === 1 ? 'start' : (x - 1).toLocaleString('en')),
    stroke: palette.muted,
    tick: { fill: palette.text, fontSize },
    label: {
      value: 'steps (log scale)',
      position: 'insideBottom' as const,
      offset: fontSize === 13 ? -14 : -18,
      fill: palette.muted,
      fontSize,
    },
  };
}
