/**
 * The students' chart with its one option: epochs, or steps on a log scale, which spreads out the
 * first steps, when most of a trait arrives (the critical period). Log steps are on by default in
 * a run whose curve points were taken dense early (curveSpacing 'log'); the reader's choice then holds.
 */
import { memo, useState } from 'react';
import type { TraitName } from '../../experiment/config';
import { STUDENT_CONDITIONS, type ConditionName, type CurvePoint } from '../../experiment/results';
import type { Palette } from '../common/palette';
import { isTaught, TRAIT_AXIS } from '../common/trait';
import { AccuracyChart } from './AccuracyChart';

interface Props {
  points: readonly CurvePoint[];
  featured: ConditionName;
  epochs: number;
  /** The students' total steps (the log axis's end). */
  totalSteps: number;
  /** Log steps before the reader chooses. */
  logByDefault: boolean;
  trait: TraitName;
  /** Liminal training's window in epochs, shaded; null without it. */
  window: number | null;
  palette: Palette;
}

export const StudentChart = memo(function StudentChart({
  points,
  featured,
  epochs,
  totalSteps,
  logByDefault,
  trait,
  window,
  palette,
}: Props) {
  const [choice, setChoice] = useState<boolean | null>(null);
  const log = (choice ?? logByDefault) && totalSteps > 1;
  const measure = isTaught(trait) ? `How often each student ${TRAIT_AXIS[trait]}` : "Students' test accuracy";
  return (
    <>
      <label className="check log-steps">
        <input
          type="checkbox"
          data-testid="log-steps"
          checked={log}
          disabled={totalSteps <= 1}
          onChange={(event) => setChoice(event.target.checked)}
        />
        <span>
          Log steps: spread out the first steps, when most of the {isTaught(trait) ? 'trait' : 'digit skill'} arrives
          (the critical period)
        </span>
      </label>
      <AccuracyChart
        points={points}
        conditions={STUDENT_CONDITIONS}
        featured={featured}
        epochs={epochs}
        palette={palette}
        height={240}
        label={`${measure} while they imitate the teacher on noise, against ${log ? 'steps on a log scale' : 'epochs'}`}
        trait={trait}
        logSteps={log ? totalSteps : null}
        window={window}
      />
    </>
  );
});
