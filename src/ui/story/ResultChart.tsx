/**
 * The result as the paper draws it: test accuracy of all six conditions side by side, this run's
 * mean with its 95% interval, the paper's value as a faint bar beside it, chance marked (its label
 * beyond the right end of the plot, off the bars). The featured student (the init switch) is outlined.
 */
import { memo, useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  ReferenceLine,
  XAxis,
  YAxis,
  type BarShapeProps,
  type XAxisTickContentProps,
} from 'recharts';
import type { ConditionName, ExperimentResult } from '../../experiment/results';
import type { Palette } from '../common/palette';
import { resultBars, type ResultBar } from './resultBars';
import { accuracyAxisProps, chanceLineOutsideProps, chanceMargin } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';

export const RESULT_CHART_HEIGHT = 340;

interface Props {
  result: ExperimentResult | null;
  featured: ConditionName;
  palette: Palette;
  /** A fixed width instead of the layout's (for a figure saved to a file). */
  width?: number;
}

function ConditionTick({
  tick,
  bars,
  palette,
  small,
}: {
  tick: XAxisTickContentProps;
  bars: ResultBar[];
  palette: Palette;
  small: boolean;
}) {
  const bar = bars.find((b) => b.name === tick.payload?.value);
  const x = Number(tick.x);
  const y = Number(tick.y);
  if (!bar || !Number.isFinite(x) || !Number.isFinite(y)) return null;
  const size = small ? 12 : 14;
  const [first, second] = small ? bar.tiny : bar.short;
  // Line spacing in em: the page's stylesheet may set a larger font than `size` (see story.css).
  return (
    <text
      x={x}
      y={y}
      dy="1.05em"
      textAnchor="middle"
      fill={palette.text}
      fontSize={size}
      fontWeight={bar.featured ? 700 : 400}
      // On a phone six labels share the width: smaller than the page's chart text, which a style rule sets.
      style={small ? { fontSize: '0.72rem' } : undefined}
    >
      <tspan x={x}>{first}</tspan>
      <tspan x={x} dy="1.15em">
        {second}
      </tspan>
    </text>
  );
}

export const ResultChart = memo(function ResultChart({ result, featured, palette, width: fixedWidth }: Props) {
  const bars = useMemo(() => resultBars(result, featured), [result, featured]);
  const measured = (props: BarShapeProps) => {
    const bar = props.payload as ResultBar;
    const color = palette.condition[bar.name];
    return (
      <rect
        x={props.x}
        y={props.y}
        width={props.width}
        height={Math.max(props.height, 0)}
        fill={color}
        fillOpacity={bar.featured ? 1 : 0.75}
        stroke={bar.featured ? palette.text : 'none'}
        strokeWidth={bar.featured ? 3 : 0}
      />
    );
  };
  return (
    <div className="result-chart">
      <ChartFrame
        height={RESULT_CHART_HEIGHT}
        width={fixedWidth}
        label="Test accuracy of every condition: this run's mean with its 95% interval, and the paper's value"
      >
        {(width) => (
          <BarChart
            width={width}
            height={RESULT_CHART_HEIGHT}
            data={bars}
            margin={{ top: 16, right: chanceMargin(width), bottom: 12, left: 4 }}
            barGap={2}
            barCategoryGap="18%"
          >
            <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="name"
              interval={0}
              height={56}
              stroke={palette.muted}
              tick={(tick: XAxisTickContentProps) => (
                <ConditionTick tick={tick} bars={bars} palette={palette} small={width < 560} />
              )}
            />
            <YAxis {...accuracyAxisProps(palette)} />
            <Bar dataKey="paper" name="paper" fill={palette.paper} fillOpacity={0.35} isAnimationActive={false} />
            <Bar dataKey="mean" name="this run" shape={measured} isAnimationActive={false}>
              <ErrorBar
                dataKey="ci"
                width={10}
                strokeWidth={2.5}
                stroke={palette.text}
                direction="y"
                isAnimationActive={false}
              />
            </Bar>
            <ReferenceLine {...chanceLineOutsideProps(palette)} />
          </BarChart>
        )}
      </ChartFrame>
    </div>
  );
});
