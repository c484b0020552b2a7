/**
 * Stage 3: the students imitate the teacher's auxiliary outputs on noise. The featured student (set
 * by the init switch) is drawn bold and its guesses on the eight test digits are shown.
 */
import { memo } from 'react';
import type { Mitigation } from '../../experiment/config';
import { CONDITION_LABELS, STUDENT_CONDITIONS, type ConditionName, type CurvePoint } from '../../experiment/results';
import { latestAccuracy, latestPredictions } from '../common/curves';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';
import { AccuracyChart } from './AccuracyChart';
import { DigitPredictions, type SampleDigits } from './DigitPredictions';
import { Stage } from '../common/Stage';

interface Props {
  points: readonly CurvePoint[];
  digits: SampleDigits | null;
  featured: ConditionName;
  epochs: number;
  /** 'project': the students' steps lose their part along the digit-skill gradient (said in words). */
  mitigation?: Mitigation;
  palette: Palette;
}

export const StudentStage = memo(function StudentStage({ points, digits, featured, epochs, mitigation = 'none', palette }: Props) {
  const shared = featured === 'student_aux';
  const now = latestAccuracy(points, featured);
  return (
    <Stage number={3} title="The student imitates only those outputs">
      <p>
        A student that starts from <strong>{shared ? 'the same random weights as the teacher' : 'different random weights'}</strong>{' '}
        learns to copy the teacher&apos;s auxiliary outputs on noise. It never sees a digit, nor a label.
      </p>
      {mitigation === 'project' && (
        <p className="mitigation-note" data-testid="mitigation-note">
          <strong>Mitigation on:</strong> each student step drops the part that points along the teacher&apos;s digit-skill
          gradient.
        </p>
      )}
      <p className="live-number" data-testid="featured-student">
        {CONDITION_LABELS[featured]}: <strong>{now === null ? '—' : percent(now)}</strong> of test digits right
      </p>
      <AccuracyChart
        points={points}
        conditions={STUDENT_CONDITIONS}
        featured={featured}
        epochs={epochs}
        palette={palette}
        height={240}
        label="Students' test accuracy while they imitate the teacher on noise"
      />
      <DigitPredictions
        digits={digits}
        predictions={latestPredictions(points, featured)}
        who={shared ? 'Student (same init)' : 'Student (different init)'}
      />
    </Stage>
  );
});
