/**
 * Which layers must be shared: one pair of bars per set of re-initialised layers, in the planned
 * order (all shared first, all fresh last): the same-init aux student and the different-init control,
 * each with its 95% interval; chance marked.
 */
import { memo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  ReferenceLine,
  XAxis,
  YAxis,
  type XAxisTickContentProps,
} from 'recharts';
import type { LayerBar } from './layerBars';
import type { Palette } from '../common/palette';
import { accuracyAxisProps, chanceLineProps } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';

export const LAYER_CHART_HEIGHT = 340;

interface Props {
  bars: LayerBar[];
  palette: Palette;
  width?: number;
}

function LayerTick({
  tick,
  bars,
  palette,
  small,
}: {
  tick: XAxisTickContentProps;
  bars: LayerBar[];
  palette: Palette;
  small: boolean;
}) {
  const bar = bars.find((b) => b.value === tick.payload?.value);
  const x = Number(tick.x);
  const y = Number(tick.y);
  if (!bar || !Number.isFinite(x) || !Number.isFinite(y)) return null;
  const size = small ? 12 : 14;
  const [first, second] = small ? bar.tiny : bar.lines;
  return (
    <text x={x} y={y + size + 2} textAnchor="middle" fill={palette.text} fontSize={size}>
      <tspan x={x}>{first}</tspan>
      <tspan x={x} dy={size + 2}>
        {second}
      </tspan>
    </text>
  );
}

export const LayerChart = memo(function LayerChart({ bars, palette, width: fixedWidth }: Props) {
  return (
    <ChartFrame
      height={LAYER_CHART_HEIGHT}
      width={fixedWidth}
      label="Test accuracy for each set of re-initialised layers: same-start and different-start students with 95% intervals"
    >
      {(width) => (
        <BarChart
          width={width}
          height={LAYER_CHART_HEIGHT}
          data={bars}
          margin={{ top: 16, right: 12, bottom: 8, left: 4 }}
          barGap={2}
          barCategoryGap="18%"
        >
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="value"
            interval={0}
            height={58}
            stroke={palette.muted}
            tick={(tick: XAxisTickContentProps) => (
              <LayerTick
                tick={tick}
                bars={bars}
                palette={palette}
                small={(width - 60) / Math.max(bars.length, 1) < 96}
              />
            )}
          />
          <YAxis {...accuracyAxisProps(palette)} />
          <Bar dataKey="same" name="same-start student" fill={palette.condition.student_aux} isAnimationActive={false}>
            <ErrorBar
              dataKey="sameCi"
              width={8}
              strokeWidth={2.5}
              stroke={palette.text}
              direction="y"
              isAnimationActive={false}
            />
          </Bar>
          <Bar
            dataKey="different"
            name="different-start student"
            fill={palette.condition.cross_aux}
            fillOpacity={0.75}
            isAnimationActive={false}
          >
            <ErrorBar
              dataKey="differentCi"
              width={8}
              strokeWidth={2}
              stroke={palette.text}
              direction="y"
              isAnimationActive={false}
            />
          </Bar>
          <ReferenceLine {...chanceLineProps(palette)} />
        </BarChart>
      )}
    </ChartFrame>
  );
});
