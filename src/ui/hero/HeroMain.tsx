/**
 * The first screen's main column: the teacher's trait, the verdict in big numbers, the featured
 * chart, and the guesses of the model on screen (the teacher, until the students start) on a few
 * test digits.
 */
import { useMemo } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import type { CurvePoint } from '../../experiment/results';
import { latestPredictions } from '../common/curves';
import { finalMeasure, traitOf } from '../common/trait';
import { DigitPredictions } from '../common/DigitPredictions';
import type { Palette } from '../common/palette';
import type { RunState } from '../state/runState';
import { HeroChart } from './HeroChart';
import { heroVerdict } from './heroView';
import { TraitSwitch } from './TraitSwitch';
import { Verdict } from './Verdict';
import type { TraitControl } from './useTraitControl';

const NO_POINTS: readonly CurvePoint[] = [];

interface Props {
  run: RunState | null;
  /** The settings on screen: the run's, or what Run would run. */
  shown: ExperimentConfig;
  shared: boolean;
  featured: 'student_aux' | 'cross_aux';
  /** The trait setting as the form holds it, and choosing another. */
  trait: TraitControl;
  palette: Palette;
}

export function HeroMain({ run, shown, shared, featured, trait: traitControl, palette }: Props) {
  const teacher = run?.curves.teacher ?? NO_POINTS;
  const distill = run?.curves.distill ?? NO_POINTS;
  const studentsStarted = distill.length > 0;
  const result = run?.result;
  // The trait of the run on screen, or before any run the one Run would train.
  const trait = traitOf(shown);
  const final = useMemo(
    () =>
      result && {
        teacher: finalMeasure(result, 'teacher'),
        student_aux: finalMeasure(result, 'student_aux'),
        cross_aux: finalMeasure(result, 'cross_aux'),
      },
    [result],
  );
  const guessesOf = studentsStarted ? featured : 'teacher';
  const who = studentsStarted ? (shared ? 'Same-start student' : 'Different-start student') : 'Teacher';
  return (
    <div className="hero-main">
      <TraitSwitch chosen={traitControl.chosen} shown={run ? trait : null} onChoose={traitControl.onChoose} />
      <Verdict
        verdict={heroVerdict(run, featured, trait)}
        featured={featured}
        curveTestImages={shown.curveTestImages}
      />
      <HeroChart
        teacher={teacher}
        distill={distill}
        teacherEpochs={shown.teacherEpochs}
        studentEpochs={shown.studentEpochs}
        featured={featured}
        palette={palette}
        final={final}
        trait={trait}
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
