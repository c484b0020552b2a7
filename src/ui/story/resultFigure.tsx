/** The result chart as a figure for a file (figure.tsx draws it off screen at a fixed size). */
import { useCallback } from 'react';
import type { ConditionName, ExperimentResult } from '../../experiment/results';
import { ResultChart } from './ResultChart';
import { countOf, EXPORT_WIDTH, figureSvg, type FigureSvg } from '../common/figure';
import type { Palette } from '../common/palette';

export { EXPORT_WIDTH } from '../common/figure';

/** The result figure as standalone SVG text, with its size. */
export async function resultFigureSvg(
  result: ExperimentResult,
  featured: ConditionName,
  palette: Palette,
): Promise<FigureSvg> {
  const bars = 2 * Object.keys(result.conditions).length;
  const errorBars = Object.values(result.conditions).filter(
    (condition) => condition.ci95 !== null && condition.ci95 > 0,
  ).length;
  const models = result.conditions.teacher.accuracies.length;
  return figureSvg(
    <ResultChart result={result} featured={featured} palette={palette} width={EXPORT_WIDTH} />,
    (svg) => countOf(svg, '.recharts-bar-rectangle') >= bars && countOf(svg, '.recharts-errorBar') >= errorBars,
    {
      title: 'Subliminal learning in an MNIST MLP: test accuracy by condition',
      subtitle: `Mean over ${models} model${models === 1 ? '' : 's'} with 95% interval; faint bars: the paper; dashed line: chance (10%)`,
    },
    palette,
  );
}

/** resultFigureSvg for the featured student, as one function that changes only with it or the palette. */
export function useResultFigure(featured: ConditionName, palette: Palette) {
  return useCallback((result: ExperimentResult) => resultFigureSvg(result, featured, palette), [featured, palette]);
}
