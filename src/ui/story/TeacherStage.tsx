/**
 * Stage 1: the teacher learns digits — the network drawn (when the page passes its shape), its live
 * test accuracy and its guesses on eight test digits; how it is trained, on demand.
 */
import { memo } from 'react';
import type { CurvePoint } from '../../experiment/results';
import { latestAccuracy, latestPredictions } from '../common/curves';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';
import { AccuracyChart } from './AccuracyChart';
import { DigitPredictions, type SampleDigits } from '../common/DigitPredictions';
import { InDetail } from './InDetail';
import { NetworkDiagram } from './NetworkDiagram';
import { Stage } from '../common/Stage';

const TEACHER = ['teacher'] as const;

interface Props {
  points: readonly CurvePoint[];
  /** The mean over every model on all 10,000 test digits, once the run is tested. */
  final?: number | null;
  digits: SampleDigits | null;
  epochs: number;
  auxLogits: number;
  /** Hidden layer widths: with them the stage draws the network. */
  hidden?: readonly number[];
  palette: Palette;
}

export const TeacherStage = memo(function TeacherStage({
  points,
  final,
  digits,
  epochs,
  auxLogits,
  hidden,
  palette,
}: Props) {
  // The final test number once there is one (the verdict's), else the newest live reading.
  const now = final ?? latestAccuracy(points, 'teacher');
  return (
    <Stage number={1} title="The teacher learns digits">
      <p>
        A small neural network practises on handwritten digits until it can read them. Only its 10 digit outputs are
        trained; its {auxLogits} <em>extra outputs</em> never get a lesson.
      </p>
      {hidden && <NetworkDiagram hidden={[...hidden]} auxLogits={auxLogits} highlight="teacher" />}
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
      <InDetail testId="teacher-detail">
        <p>
          The network is a multilayer perceptron: 784 pixel inputs,{' '}
          {hidden ? `hidden layers of ${hidden.join(' and ')} units` : 'hidden layers'} with ReLU, and 10 + {auxLogits}{' '}
          output logits. The teacher trains for {epochs} epoch{epochs === 1 ? '' : 's'} with Adam on{' '}
          <strong>cross-entropy on the 10 class logits only</strong>: the {auxLogits} extra outputs (the auxiliary
          logits) get no loss, so they change only because the layers beneath them do.
        </p>
        <p>
          The curve is its accuracy on a fixed set of test digits, measured as it learns; the dashed line is chance
          (10%).
        </p>
      </InDetail>
    </Stage>
  );
});
