/**
 * Stage 3: the students imitate the teacher's auxiliary outputs on noise. The featured student (set
 * by the init switch) is drawn boldest and its guesses on the eight test digits are shown; the
 * network is drawn with the outputs the students train (when the page passes its shape).
 */
import { memo } from 'react';
import type { DistillLoss, Mitigation } from '../../experiment/config';
import { CONDITION_LABELS, STUDENT_CONDITIONS, type ConditionName, type CurvePoint } from '../../experiment/results';
import { latestAccuracy, latestPredictions } from '../common/curves';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';
import { AccuracyChart } from './AccuracyChart';
import { DigitPredictions, type SampleDigits } from '../common/DigitPredictions';
import { InDetail } from './InDetail';
import { NetworkDiagram } from './NetworkDiagram';
import { Stage } from '../common/Stage';

interface Props {
  points: readonly CurvePoint[];
  /** The mean over every model on all 10,000 test digits, once the run is tested. */
  final?: number | null;
  digits: SampleDigits | null;
  featured: ConditionName;
  epochs: number;
  /** 'project': the students' steps lose their part along the digit-skill gradient (said in words). */
  mitigation?: Mitigation;
  /** The network's shape: with both, the stage draws it. */
  hidden?: readonly number[];
  auxLogits?: number;
  /** How the students compare their outputs with the teacher's (in the details). */
  distillLoss?: DistillLoss;
  palette: Palette;
}

const LOSS_WORDS: Record<DistillLoss, string> = {
  kl: 'the KL divergence between the softmax of the teacher’s and the student’s logits',
  mse: 'the mean squared error between the teacher’s and the student’s raw logits',
};

export const StudentStage = memo(function StudentStage({
  points,
  final,
  digits,
  featured,
  epochs,
  mitigation = 'none',
  hidden,
  auxLogits,
  distillLoss = 'kl',
  palette,
}: Props) {
  const shared = featured === 'student_aux';
  // The final test number once there is one (the verdict's), else the newest live reading.
  const now = final ?? latestAccuracy(points, featured);
  return (
    <Stage number={3} title="The student imitates only those outputs">
      <p>
        A student that starts from{' '}
        <strong>{shared ? 'the same random weights as the teacher' : 'different random weights'}</strong> learns to copy
        the teacher&apos;s extra outputs on noise. It never sees a digit, nor a label.
      </p>
      {hidden && auxLogits !== undefined && (
        <NetworkDiagram hidden={[...hidden]} auxLogits={auxLogits} highlight="student" />
      )}
      {mitigation === 'project' && (
        <p className="mitigation-note" data-testid="mitigation-note">
          <strong>Mitigation on:</strong> each student step drops the part that points along the teacher&apos;s
          digit-skill gradient.
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
        who={shared ? 'Same-start student' : 'Different-start student'}
      />
      <InDetail testId="student-detail">
        <p>
          Four students train side by side for {epochs} epoch{epochs === 1 ? '' : 's'}, each on noise only. The two the
          story is about (solid lines) copy only the teacher&apos;s {auxLogits ?? 'm'} extra outputs (its auxiliary
          logits); two more (dashed) copy all 10 + {auxLogits ?? 'm'} outputs, the digit outputs included, for
          comparison. The loss is {LOSS_WORDS[distillLoss]}.
        </p>
        <p>
          <strong>Same start</strong> (same initialisation): the student starts from exactly the teacher&apos;s weights
          before it learnt. <strong>Different start</strong>: from another model&apos;s initial weights, so nothing is
          shared.
          {mitigation === 'project' &&
            ' With the mitigation, each step is projected off the gradient of the teacher’s digit loss when the two point the same way.'}
        </p>
      </InDetail>
    </Stage>
  );
});
