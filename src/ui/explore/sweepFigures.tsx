/** The three sweep charts as figures for files (figure.tsx draws each off screen at a fixed size). */
import { chainData } from './chainRows';
import { ChainChart } from './ChainChart';
import { LayerChart } from './LayerChart';
import { SweepChart } from './SweepChart';
import { countOf, EXPORT_WIDTH, figureSvg, type FigureSvg } from '../common/figure';
import { layerBars } from './layerBars';
import type { Palette } from '../common/palette';
import { sweepChartData } from './sweepRows';
import type { SweepRun } from '../state/sweepState';
import { layerCount } from './sweepWords';
import { traitOf } from '../common/trait';

const models = (sweep: SweepRun) => sweep.base.models;
const intervals = (values: (number | null)[]) => values.filter((v) => v !== null && v > 0).length;

export function sweepFigureSvg(sweep: SweepRun, palette: Palette): Promise<FigureSvg> {
  const data = sweepChartData(
    sweep.plan.setting,
    sweep.plan.values,
    sweep.points,
    layerCount(sweep),
    traitOf(sweep.base),
  );
  const errorBars = intervals(data.rows.flatMap((row) => [row.sameCi, row.differentCi]));
  return figureSvg(
    <SweepChart data={data} palette={palette} width={EXPORT_WIDTH} />,
    (svg) => countOf(svg, '.recharts-line') >= 3 && countOf(svg, '.recharts-errorBar') >= errorBars,
    {
      title: `Subliminal learning in an MNIST MLP: ${data.measure.toLowerCase()} against ${data.axisLabel}`,
      subtitle:
        `Mean over ${models(sweep)} models per value, 95% interval; solid: same-start student, dashed: different-start student, faint: teacher` +
        `${data.community.length > 0 ? '; diamonds: community (paper recipe)' : ''}; red dashes: chance`,
    },
    palette,
  );
}

export function layerFigureSvg(sweep: SweepRun, palette: Palette): Promise<FigureSvg> {
  const bars = layerBars(sweep.plan.values, sweep.points, layerCount(sweep));
  const measured = bars.filter((bar) => bar.same !== null).length;
  const errorBars = intervals(bars.flatMap((bar) => [bar.sameCi, bar.differentCi]));
  return figureSvg(
    <LayerChart bars={bars} palette={palette} width={EXPORT_WIDTH} />,
    (svg) => countOf(svg, '.recharts-bar-rectangle') >= 2 * measured && countOf(svg, '.recharts-errorBar') >= errorBars,
    {
      title: 'Which layers must the student share with the teacher? Test accuracy per set of fresh layers',
      subtitle: `Mean over ${models(sweep)} models, 95% interval; green: same-start student (fresh layers re-drawn), orange: different-start student; red dashes: chance`,
    },
    palette,
  );
}

export function chainFigureSvg(sweep: SweepRun, palette: Palette): Promise<FigureSvg> {
  const data = chainData(sweep.plan.values, sweep.points, sweep.base.generations);
  return figureSvg(
    <ChainChart data={data} palette={palette} width={EXPORT_WIDTH} />,
    (svg) => countOf(svg, '.recharts-line') >= data.series.length + 1,
    {
      title: 'Chains: each generation’s student teaches the next, through its extra outputs on noise only',
      subtitle: `Same-start student's mean test accuracy over ${models(sweep)} models; generation 0 = the original teacher; faint: community chain (paper recipe)`,
    },
    palette,
  );
}
