/** Stage 1: the teacher learns digits — its live test accuracy and its guesses on eight test digits. */
import { memo } from 'react';
import type { CurvePoint } from '../../experiment/results';
import { latestAccuracy, latestPredictions } from '../common/curves';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';
import { AccuracyChart } from './AccuracyChart';
import { DigitPredictions, type SampleDigits } from './DigitPredictions';
import { Stage } from '../common/Stage';

const TEACHER = ['teacher'] as const;

interface Props {
  points: readonly CurvePoint[];
  digits: SampleDigits | null;
  epochs: number;
  auxLogits: number;
  palette: Palette;
}

export const TeacherStage = memo(function TeacherStage({ points, digits, epochs, auxLogits, palette }: Props) {
  const now = latestAccuracy(points, 'teacher');
  return (
    <Stage number={1} title="The teacher learns digits">
      <p>
        A small neural network practises on handwritten digits until it can read them. Only its 10 digit outputs are
        trained; its {auxLogits} extra <em>auxiliary</em> outputs never get a lesson.
      </p>
      <p className="live-number" aria-live="off">
        Teacher&apos;s test accuracy: <strong>{now === null ? '—' : percent(now)}</strong>
      </p>
      <AccuracyChart
        points={points}
        conditions={TEACHER}
        featured="teacher"
        epochs={epochs}
        palette={palette}
        height={240}
        label="Teacher's test accuracy while it trains"
      />
      <DigitPredictions digits={digits} predictions={latestPredictions(points, 'teacher')} who="Teacher" />
    </Stage>
  );
});
