/**
 * Live test accuracy against epochs: each condition's mean as a line, the featured one boldest with a
 * thin line per model behind it, and chance (10%) marked beyond the plot's right end. Among the
 * students, the two the story is about (aux only, same vs different init) are both solid and strong;
 * the all-logit students thin, dashed and lighter. The x axis spans the whole phase from the start,
 * so the curve grows left to right and nothing rescales while training.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { CONDITION_LABELS, type ConditionName, type CurvePoint } from '../../experiment/results';
import { curveRows, modelCount, modelKey, MAX_MODEL_LINES } from '../common/curves';
import type { Palette } from '../common/palette';
import { percent } from '../common/format';
import { accuracyAxisProps, chanceLineOutsideProps, chanceMargin, epochAxisProps } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';

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
}

export const AccuracyChart = memo(function AccuracyChart({
  points,
  conditions,
  featured,
  epochs,
  palette,
  height,
  label,
}: Props) {
  const rows = useMemo(() => curveRows(points, conditions), [points, conditions]);
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
            <XAxis {...epochAxisProps(palette, epochs, 14)} />
            <YAxis {...accuracyAxisProps(palette)} />
            <ReferenceLine {...chanceLineOutsideProps(palette)} />
            {featured &&
              Array.from({ length: models }, (_, i) => (
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
              ))}
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
              labelFormatter={(epoch) => `epoch ${Number(epoch).toFixed(2)}`}
              contentStyle={{ background: palette.background, color: palette.text, borderColor: palette.grid }}
            />
          </LineChart>
        )}
      </ChartFrame>
      <ul className="legend">
        {conditions.map((name) => (
          <li key={name} className={faint(name) ? 'dimmed' : featured === name ? 'featured' : undefined}>
            <span
              className={`swatch${faint(name) ? ' swatch-dashed' : ''}`}
              style={faint(name) ? { borderColor: palette.condition[name] } : { background: palette.condition[name] }}
              aria-hidden="true"
            />
            {CONDITION_LABELS[name]}
            {faint(name) ? ' (dashed)' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
});
