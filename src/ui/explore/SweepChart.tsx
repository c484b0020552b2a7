/**
 * A sweep's result: test accuracy against the value swept, for the same-init aux student (solid,
 * with 95% intervals) and the different-init control (dashed), the teacher faint behind them, the
 * community's numbers for the paper recipe as faint diamonds, chance marked.
 */
import { memo, type ComponentProps } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Line,
  ReferenceLine,
  Scatter,
  XAxis,
  YAxis,
  type XAxisTickContentProps,
} from 'recharts';
import type { Palette } from '../common/palette';
import type { SweepChartData, SweepRow } from './sweepRows';
import { accuracyAxisProps, chanceLineProps } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';

export const SWEEP_CHART_HEIGHT = 340;

interface Props {
  data: SweepChartData;
  palette: Palette;
  /** A fixed width instead of the layout's (a figure saved to a file). */
  width?: number;
}

function ValueTick({ tick, rows, palette }: { tick: XAxisTickContentProps; rows: SweepRow[]; palette: Palette }) {
  const row = rows.find((r) => Math.abs(r.x - Number(tick.payload?.value)) < 1e-9);
  const x = Number(tick.x);
  const y = Number(tick.y);
  if (!row || !Number.isFinite(x) || !Number.isFinite(y)) return null;
  return (
    <text x={x} y={y + 16} textAnchor="middle" fill={palette.text} fontSize={14}>
      <tspan x={x}>{row.lines[0]}</tspan>
      {row.lines[1] && (
        <tspan x={x} dy={16}>
          {row.lines[1]}
        </tspan>
      )}
    </text>
  );
}

/**
 * The value axis: one tick per value, its words on up to two lines; props to spread on recharts'
 * own XAxis (recharts reads its children by type, so they cannot be wrapped in components of ours).
 */
function valueAxisProps(data: SweepChartData, palette: Palette, twoLines: boolean): ComponentProps<typeof XAxis> {
  const { rows } = data;
  return {
    type: 'number',
    dataKey: 'x',
    domain: data.domain,
    ticks: rows.map((row) => row.x),
    interval: 0,
    allowDataOverflow: true,
    height: twoLines ? 54 : 40,
    stroke: palette.muted,
    tick: (tick: XAxisTickContentProps) => <ValueTick tick={tick} rows={rows} palette={palette} />,
    label: {
      value: data.axisLabel,
      position: 'insideBottom',
      offset: twoLines ? -34 : -20,
      fill: palette.muted,
      fontSize: 14,
    },
  };
}

/** The community's numbers for the paper recipe, as faint diamonds: props for recharts' Scatter. */
function communityProps(data: SweepChartData, palette: Palette): ComponentProps<typeof Scatter> {
  return {
    name: 'community (paper recipe)',
    data: data.community,
    dataKey: 'y',
    fill: palette.paper,
    fillOpacity: 0.7,
    shape: 'diamond',
    legendType: 'none',
    isAnimationActive: false,
  };
}

export const SweepChart = memo(function SweepChart({ data, palette, width: fixedWidth }: Props) {
  const { rows } = data;
  // Words are not a scale: their points stand alone, unjoined.
  const joined = data.axis !== 'category';
  const twoLines = rows.some((row) => row.lines[1] !== '');
  return (
    <ChartFrame
      height={SWEEP_CHART_HEIGHT}
      width={fixedWidth}
      label={`${data.measure} against ${data.axisLabel}: same-start and different-start students with 95% intervals, the teacher, and the community's numbers`}
    >
      {(width) => (
        <ComposedChart
          width={width}
          height={SWEEP_CHART_HEIGHT}
          data={rows}
          margin={{ top: 16, right: 24, bottom: twoLines ? 40 : 26, left: 4 }}
        >
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
          <XAxis {...valueAxisProps(data, palette, twoLines)} />
          <YAxis type="number" {...accuracyAxisProps(palette)} />
          <ReferenceLine {...chanceLineProps(palette)} />
          <Line
            dataKey="teacher"
            name="teacher"
            stroke={joined ? palette.condition.teacher : 'none'}
            strokeOpacity={0.45}
            strokeWidth={2}
            dot={{ r: 3, fill: palette.condition.teacher, fillOpacity: 0.45, strokeWidth: 0 }}
            isAnimationActive={false}
          />
          <Scatter {...communityProps(data, palette)} />
          <Line
            dataKey="different"
            name="different-start student"
            stroke={joined ? palette.condition.cross_aux : 'none'}
            strokeWidth={3}
            strokeDasharray="8 5"
            dot={{ r: 5, fill: palette.condition.cross_aux, strokeWidth: 0 }}
            isAnimationActive={false}
          >
            <ErrorBar
              dataKey="differentCi"
              width={8}
              strokeWidth={2}
              stroke={palette.condition.cross_aux}
              direction="y"
              isAnimationActive={false}
            />
          </Line>
          <Line
            dataKey="same"
            name="same-start student"
            stroke={joined ? palette.condition.student_aux : 'none'}
            strokeWidth={4}
            dot={{ r: 6, fill: palette.condition.student_aux, strokeWidth: 0 }}
            isAnimationActive={false}
          >
            <ErrorBar
              dataKey="sameCi"
              width={10}
              strokeWidth={2.5}
              stroke={palette.text}
              direction="y"
              isAnimationActive={false}
            />
          </Line>
        </ComposedChart>
      )}
    </ChartFrame>
  );
});
