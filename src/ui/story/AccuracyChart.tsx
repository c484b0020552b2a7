/**
 * Live test accuracy against epochs: each condition's mean as a line, the featured one boldest with a
 * thin line per model behind it, and chance (10%) marked beyond the plot's right end. Among the
 * students, the two the story is about (aux only, same vs different init) are both solid and strong;
 * the all-logit students thin, dashed and lighter. The x axis spans the whole phase from the start,
 * so the curve grows left to right and nothing rescales while training: in epochs, or in steps on a
 * log scale (the critical period: the first steps get as much room as the rest). A run with a taught
 * trait can draw the trait's measure instead of accuracy; liminal training's window is shaded.
 */
import { memo, useMemo, type ComponentProps } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { TraitName } from '../../experiment/config';
import { CONDITION_LABELS, type ConditionName, type CurvePoint } from '../../experiment/results';
import { curveRows, modelCount, modelKey, MAX_MODEL_LINES } from '../common/curves';
import type { Palette } from '../common/palette';
import { percent } from '../common/format';
import {
  accuracyAxisProps,
  chanceLineOutsideProps,
  chanceMargin,
  epochAxisProps,
  logStepAxisProps,
} from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';
import { curveMeasure } from '../common/trait';

/** The students the story contrasts: drawn solid and strong in every student chart. */
export const AUX_STUDENTS: readonly ConditionName[] = ['student_aux', 'cross_aux'];
/** The all-logit students: a side note, drawn thin, dashed and lighter. */
export const ALL_LOGIT_STUDENTS: readonly ConditionName[] = ['student_all', 'cross_all'];

/** How a condition's mean line is drawn: the featured one boldest, the aux students strong, the all-logit ones faint. */
export function lineStyle(name: ConditionName, featured: ConditionName | null) {
  if (name === featured) return { strokeWidth: 5, strokeOpacity: 1, strokeDasharray: undefined };
  if (ALL_LOGIT_STUDENTS.includes(name)) return { strokeWidth: 2, strokeOpacity: 0.6, strokeDasharray: '6 5' };
  if (AUX_STUDENTS.includes(name)) return { strokeWidth: 4, strokeOpacity: 1, strokeDasharray: undefined };
  return {
    strokeWidth: featured === null ? 4 : 2.5,
    strokeOpacity: featured === null ? 1 : 0.6,
    strokeDasharray: undefined,
  };
}

/** Before the first point: one empty row, so the axes and their ticks are drawn all the same. */
const NO_ROWS = [{ epoch: 0, step: 0 }];

interface Props {
  points: readonly CurvePoint[];
  conditions: readonly ConditionName[];
  /** Drawn bold, with its models' own lines; null draws every condition alike. */
  featured: ConditionName | null;
  epochs: number;
  palette: Palette;
  height: number;
  label: string;
  /** The trait whose measure the lines show: test accuracy for 'digits' (the default). */
  trait?: TraitName;
  /** The phase's total steps, for an x axis of steps on a log scale; null or absent: epochs. */
  logSteps?: number | null;
  /** Liminal training's window, in epochs from the start: shaded. */
  window?: number | null;
}

/** Where an epoch sits on the x axis: itself, or on a log-step axis its step + 1 (logStepX). */
const xOf = (epoch: number, epochs: number, logSteps: number | null) =>
  logSteps ? (epoch * logSteps) / epochs + 1 : epoch;

/** A thin line per model of the featured condition, behind its mean (recharts' own Lines: it reads children by type). */
function modelLines(featured: ConditionName, models: number, palette: Palette) {
  return Array.from({ length: models }, (_, i) => (
    <Line
      key={modelKey(featured, i)}
      dataKey={modelKey(featured, i)}
      stroke={palette.condition[featured]}
      strokeOpacity={0.35}
      strokeWidth={1}
      dot={false}
      isAnimationActive={false}
      legendType="none"
      tooltipType="none"
    />
  ));
}

/** Epochs, or steps on a log scale: XAxis props. */
function xAxisProps(palette: Palette, epochs: number, logSteps: number | null): ComponentProps<typeof XAxis> {
  return logSteps ? logStepAxisProps(palette, logSteps, 14) : epochAxisProps(palette, epochs, 14);
}

/** The conditions' key under the chart, the all-logit students marked dashed. */
function ConditionLegend({ conditions, featured, palette }: Pick<Props, 'conditions' | 'featured' | 'palette'>) {
  return (
    <ul className="legend">
      {conditions.map((name) => {
        const faint = ALL_LOGIT_STUDENTS.includes(name);
        return (
          <li key={name} className={faint ? 'dimmed' : featured === name ? 'featured' : undefined}>
            <span
              className={`swatch${faint ? ' swatch-dashed' : ''}`}
              style={faint ? { borderColor: palette.condition[name] } : { background: palette.condition[name] }}
              aria-hidden="true"
            />
            {CONDITION_LABELS[name]}
            {faint ? ' (dashed)' : ''}
          </li>
        );
      })}
    </ul>
  );
}

export const AccuracyChart = memo(function AccuracyChart({
  points,
  conditions,
  featured,
  epochs,
  palette,
  height,
  label,
  trait = 'digits',
  logSteps = null,
  window = null,
}: Props) {
  const rows = useMemo(
    () => curveRows(points, conditions, MAX_MODEL_LINES, (point, name) => curveMeasure(point, name, trait)),
    [points, conditions, trait],
  );
  const models = featured ? Math.min(modelCount(points, featured), MAX_MODEL_LINES) : 0;
  const faint = (name: ConditionName) => ALL_LOGIT_STUDENTS.includes(name);
  // Faint lines first, the aux students over them, the featured line last of all, on top.
  const rank = (name: ConditionName) => (name === featured ? 2 : faint(name) ? 0 : 1);
  const order = [...conditions].sort((a, b) => rank(a) - rank(b));
  return (
    <div className="accuracy-chart">
      <ChartFrame height={height} label={label}>
        {(width) => (
          <LineChart
            width={width}
            height={height}
            data={rows.length > 0 ? rows : NO_ROWS}
            margin={{ top: 12, right: chanceMargin(width), bottom: 34, left: 4 }}
          >
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
            {window !== null && (
              <ReferenceArea
                x1={xOf(0, epochs, logSteps)}
                x2={xOf(window, epochs, logSteps)}
                fill={palette.muted}
                fillOpacity={0.12}
                ifOverflow="hidden"
                label={{ value: 'liminal', position: 'insideTopLeft', fill: palette.muted, fontSize: 13 }}
              />
            )}
            <XAxis {...xAxisProps(palette, epochs, logSteps)} />
            <YAxis {...accuracyAxisProps(palette)} />
            <ReferenceLine {...chanceLineOutsideProps(palette)} />
            {featured && modelLines(featured, models, palette)}
            {order.map((name) => (
              <Line
                key={name}
                dataKey={name}
                name={CONDITION_LABELS[name]}
                stroke={palette.condition[name]}
                {...lineStyle(name, featured)}
                dot={false}
                isAnimationActive={false}
              />
            ))}
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? percent(value, 1) : String(value))}
              labelFormatter={(x) =>
                logSteps ? `step ${(Number(x) - 1).toLocaleString('en')}` : `epoch ${Number(x).toFixed(2)}`
              }
              contentStyle={{ background: palette.background, color: palette.text, borderColor: palette.grid }}
            />
          </LineChart>
        )}
      </ChartFrame>
      <ConditionLegend conditions={conditions} featured={featured} palette={palette} />
    </div>
  );
});
