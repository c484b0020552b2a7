/**
 * Live test accuracy against epochs: each condition's mean as a line, the featured one bold with a
 * thin line per model behind it, and chance (10%) marked. The x axis spans the whole phase from the
 * start, so the curve grows left to right and nothing rescales while training.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { CONDITION_LABELS, type ConditionName, type CurvePoint } from '../../experiment/results';
import { curveRows, modelCount, modelKey, MAX_MODEL_LINES } from '../common/curves';
import type { Palette } from '../common/palette';
import { percent } from '../common/format';
import { accuracyAxisProps, chanceLineProps, epochAxisProps } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';


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

export const AccuracyChart = memo(function AccuracyChart({ points, conditions, featured, epochs, palette, height, label }: Props) {
  const rows = useMemo(() => curveRows(points, conditions), [points, conditions]);
  const models = featured ? Math.min(modelCount(points, featured), MAX_MODEL_LINES) : 0;
  const dimmed = (name: ConditionName) => featured !== null && name !== featured;
  // The featured line goes last so it is drawn on top.
  const order = featured ? [...conditions.filter((name) => name !== featured), featured] : conditions;
  return (
    <div className="accuracy-chart">
      <ChartFrame height={height} label={label}>
        {(width) => (
          <LineChart width={width} height={height} data={rows.length > 0 ? rows : NO_ROWS} margin={{ top: 12, right: 16, bottom: 28, left: 4 }}>
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
            <XAxis {...epochAxisProps(palette, epochs, 14)} />
            <YAxis {...accuracyAxisProps(palette)} />
            <ReferenceLine {...chanceLineProps(palette)} />
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
                strokeOpacity={dimmed(name) ? 0.45 : 1}
                strokeWidth={dimmed(name) ? 2 : 4}
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
          <li key={name} className={dimmed(name) ? 'dimmed' : featured === name ? 'featured' : undefined}>
            <span className="swatch" style={{ background: palette.condition[name] }} aria-hidden="true" />
            {CONDITION_LABELS[name]}
          </li>
        ))}
      </ul>
    </div>
  );
});
