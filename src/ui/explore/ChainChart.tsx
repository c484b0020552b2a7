/**
 * Chains: the same-init aux student's test accuracy against generation, one line per m, from the
 * original teacher (generation 0) down the chain; the community's chain of the paper recipe faint
 * behind; chance marked.
 */
import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { ChainData } from './chainRows';
import type { Palette } from '../common/palette';
import { accuracyAxisProps, chanceLineProps } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';

export const CHAIN_CHART_HEIGHT = 320;

/** Dashes per line, so the lines differ without colour too. */
export const CHAIN_DASHES = [undefined, '10 5', '3 4', '12 4 3 4', '6 3', '2 2'];

export const seriesColor = (palette: Palette, i: number) => palette.series[i % palette.series.length];

interface Props {
  data: ChainData;
  palette: Palette;
  width?: number;
}

export const ChainChart = memo(function ChainChart({ data, palette, width: fixedWidth }: Props) {
  const ticks = Array.from({ length: data.generations + 1 }, (_, i) => i);
  return (
    <ChartFrame
      height={CHAIN_CHART_HEIGHT}
      width={fixedWidth}
      label="Test accuracy of each generation of a chain, from the original teacher (generation 0), one line per number of extra outputs m, with the community's chain"
    >
      {(width) => (
        <LineChart
          width={width}
          height={CHAIN_CHART_HEIGHT}
          data={data.rows}
          margin={{ top: 16, right: 24, bottom: 28, left: 4 }}
        >
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="generation"
            domain={[0, data.generations]}
            ticks={ticks}
            interval={0}
            stroke={palette.muted}
            tick={{ fill: palette.text, fontSize: 14 }}
            label={{
              value: 'generation (0 = the original teacher)',
              position: 'insideBottom',
              offset: -18,
              fill: palette.muted,
              fontSize: 14,
            }}
          />
          <YAxis {...accuracyAxisProps(palette)} />
          <ReferenceLine {...chanceLineProps(palette)} />
          <Line
            dataKey="community"
            name="community (paper recipe)"
            stroke={palette.paper}
            strokeOpacity={0.8}
            strokeWidth={3}
            strokeDasharray="2 6"
            dot={{ r: 4, fill: palette.paper, strokeWidth: 0 }}
            isAnimationActive={false}
          />
          {data.series.map((series, i) => (
            <Line
              key={series.key}
              dataKey={series.key}
              name={series.label}
              stroke={seriesColor(palette, i)}
              strokeWidth={4}
              strokeDasharray={CHAIN_DASHES[i % CHAIN_DASHES.length]}
              dot={{ r: 5, fill: seriesColor(palette, i), strokeWidth: 0 }}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      )}
    </ChartFrame>
  );
});
