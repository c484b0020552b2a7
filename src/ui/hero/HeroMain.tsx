/**
 * The first screen's main column: the verdict in big numbers, the featured chart, and the guesses
 * of the model on screen (the teacher, until the students start) on a few test digits.
 */
import { useMemo } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import type { CurvePoint } from '../../experiment/results';
import { latestPredictions } from '../common/curves';
import { DigitPredictions } from '../common/DigitPredictions';
import type { Palette } from '../common/palette';
import type { RunState } from '../state/runState';
import { HeroChart } from './HeroChart';
import { heroVerdict } from './heroView';
import { Verdict } from './Verdict';

const NO_POINTS: readonly CurvePoint[] = [];

interface Props {
  run: RunState | null;
  /** The settings on screen: the run's, or what Run would run. */
  shown: ExperimentConfig;
  shared: boolean;
  featured: 'student_aux' | 'cross_aux';
  palette: Palette;
}

export function HeroMain({ run, shown, shared, featured, palette }: Props) {
  const teacher = run?.curves.teacher ?? NO_POINTS;
  const distill = run?.curves.distill ?? NO_POINTS;
  const studentsStarted = distill.length > 0;
  const result = run?.result;
  const final = useMemo(
    () =>
      result && {
        teacher: result.conditions.teacher.mean,
        student_aux: result.conditions.student_aux.mean,
        cross_aux: result.conditions.cross_aux.mean,
      },
    [result],
  );
  const guessesOf = studentsStarted ? featured : 'teacher';
  const who = studentsStarted ? (shared ? 'Same-start student' : 'Different-start student') : 'Teacher';
  return (
    <div className="hero-main">
      <Verdict verdict={heroVerdict(run, featured)} featured={featured} curveTestImages={shown.curveTestImages} />
      <HeroChart
        teacher={teacher}
        distill={distill}
        teacherEpochs={shown.teacherEpochs}
        studentEpochs={shown.studentEpochs}
        featured={featured}
        palette={palette}
        final={final}
      />
      <div className="hero-guesses">
        <DigitPredictions
          digits={run?.digits ?? null}
          predictions={latestPredictions(studentsStarted ? distill : teacher, guessesOf)}
          who={who}
        />
      </div>
    </div>
  );
}
