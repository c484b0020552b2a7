/**
 * The story in five stages, beside the settings: the teacher, the noise, the students (and how they
 * move), the result, and why it happens. Each stage follows the run on screen.
 */
import { memo } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import type { CurvePoint } from '../../experiment/results';
import { distillSteps } from '../common/chartAxes';
import { PanelBoundary } from '../common/ErrorBoundary';
import type { Palette } from '../common/palette';
import { finalMeasure, traitOf } from '../common/trait';
import { isActive, type RunState } from '../state/runState';
import { AlignmentCharts as AlignmentChartsEveryRender } from './AlignmentCharts';
import { NoiseStage as NoiseStageEveryRender } from './NoiseStage';
import { ResultStage as ResultStageEveryRender } from './ResultStage';
import { StudentStage as StudentStageEveryRender } from './StudentStage';
import { TeacherStage as TeacherStageEveryRender } from './TeacherStage';
import { TheoremStage as TheoremStageEveryRender } from './TheoremStage';

// Each stage redraws only when what it shows changed: a run's progress line changes twice a
// second, and redrawing every chart of the story with it took CPU from training (no GPU to draw).
const TeacherStage = memo(TeacherStageEveryRender);
const NoiseStage = memo(NoiseStageEveryRender);
const StudentStage = memo(StudentStageEveryRender);
const AlignmentCharts = memo(AlignmentChartsEveryRender);
const ResultStage = memo(ResultStageEveryRender);
const TheoremStage = memo(TheoremStageEveryRender);

const NO_POINTS: readonly CurvePoint[] = [];

interface Props {
  run: RunState | null;
  featured: 'student_aux' | 'cross_aux';
  /** The settings the pictures show: the run's, or before any run the ones Run would use. */
  shown: ExperimentConfig;
  palette: Palette;
}

export function Story({ run, featured, shown, palette }: Props) {
  const result = run?.result;
  return (
    <div className="story">
      <PanelBoundary name="stage 1, the teacher">
        <TeacherStage
          points={run?.curves.teacher ?? NO_POINTS}
          final={run?.result?.conditions.teacher.mean}
          digits={run?.digits ?? null}
          epochs={shown.teacherEpochs}
          hidden={shown.hidden}
          auxLogits={shown.auxLogits}
          palette={palette}
        />
      </PanelBoundary>
      <PanelBoundary name="stage 2, the noise">
        <NoiseStage noise={run?.noise ?? null} auxLogits={shown.auxLogits} noiseKind={shown.noise} palette={palette} />
      </PanelBoundary>
      <PanelBoundary name="stage 3, the students">
        <StudentStage
          points={run?.curves.distill ?? NO_POINTS}
          final={result ? finalMeasure(result, featured) : undefined}
          digits={run?.digits ?? null}
          featured={featured}
          epochs={shown.studentEpochs}
          hidden={shown.hidden}
          auxLogits={shown.auxLogits}
          distillLoss={shown.distillLoss}
          mitigation={shown.mitigation}
          liminal={shown}
          trait={traitOf(shown)}
          totalSteps={distillSteps(shown)}
          curveSpacing={shown.curveSpacing}
          palette={palette}
        />
      </PanelBoundary>
      <PanelBoundary name="how the students move">
        <AlignmentCharts
          points={run?.curves.distill ?? NO_POINTS}
          featured={featured}
          epochs={shown.studentEpochs}
          palette={palette}
          mitigation={shown}
        />
      </PanelBoundary>
      <PanelBoundary name="stage 4, the result">
        <ResultStage result={run?.result ?? null} featured={featured} palette={palette} />
      </PanelBoundary>
      <PanelBoundary name="stage 5, why it happens">
        <TheoremStage
          result={run?.theorem ?? run?.result?.theorem ?? null}
          ended={run !== null && !isActive(run)}
          palette={palette}
        />
      </PanelBoundary>
    </div>
  );
}
