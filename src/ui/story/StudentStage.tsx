/**
 * Stage 3: the students imitate the teacher's auxiliary outputs on noise. The featured student (set
 * by the init switch) is drawn boldest and its guesses on the eight test digits are shown; the
 * network is drawn with the outputs the students train (when the page passes its shape). A run with
 * a taught trait follows the trait's measure; a mitigation is named, liminal training's window shaded.
 */
import { memo } from 'react';
import type { CurveSpacing, DistillLoss, ExperimentConfig, Mitigation, TraitName } from '../../experiment/config';
import { CONDITION_LABELS, type ConditionName, type CurvePoint } from '../../experiment/results';
import { latestPredictions } from '../common/curves';
import { percent } from '../common/format';
import { liminalWindowEnd, mitigationWords } from '../common/mitigation';
import type { Palette } from '../common/palette';
import { latestMeasure, traitDoes } from '../common/trait';
import { StudentChart } from './StudentChart';
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
  /** 'project': the students' steps lose their part along the trait gradient; 'liminal': held near their start early on (said in words). */
  mitigation?: Mitigation;
  /** Liminal training's weight λ and window (epochs). */
  liminal?: Pick<ExperimentConfig, 'liminalWeight' | 'liminalWindow'>;
  /** The trait the lines follow (test accuracy for 'digits', the default). */
  trait?: TraitName;
  /** The students' total steps, for the log-step axis. */
  totalSteps?: number;
  /** How the curve points were spread: log steps are on by default when they were taken dense early. */
  curveSpacing?: CurveSpacing;
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

/** The mitigation in words, when the run has one. */
function MitigationNote({ config, trait }: { config: Parameters<typeof mitigationWords>[0]; trait: TraitName }) {
  const words = mitigationWords(config);
  if (config?.mitigation === 'project')
    return (
      <p className="mitigation-note" data-testid="mitigation-note">
        <strong>Mitigation on:</strong> each student step drops the part that points along the teacher&apos;s{' '}
        {trait === 'digits' ? 'digit-skill' : 'trait'} gradient.
      </p>
    );
  if (config?.mitigation === 'liminal')
    return (
      <p className="mitigation-note" data-testid="mitigation-note">
        <strong>Mitigation on:</strong> {words}. In that window (shaded) each student is also pulled back towards its
        own start, so the first steps, when most of the trait arrives, carry less of it.
      </p>
    );
  return null;
}

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
  liminal,
  trait = 'digits',
  totalSteps = 0,
  curveSpacing = 'linear',
  palette,
}: Props) {
  const shared = featured === 'student_aux';
  // The final test number once there is one (the verdict's), else the newest live reading.
  const now = final ?? latestMeasure(points, featured, trait);
  const run = { mitigation, ...liminal };
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
      <MitigationNote config={run} trait={trait} />
      <p className="live-number" data-testid="featured-student">
        {CONDITION_LABELS[featured]}:{' '}
        {trait === 'digits' ? (
          <>
            <strong>{now === null ? '—' : percent(now)}</strong> of test digits right
          </>
        ) : (
          <strong>{now === null ? '—' : traitDoes(trait, now)}</strong>
        )}
      </p>
      <StudentChart
        points={points}
        featured={featured}
        epochs={epochs}
        totalSteps={totalSteps}
        logByDefault={curveSpacing === 'log'}
        trait={trait}
        window={liminalWindowEnd(run, epochs)}
        palette={palette}
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
          {mitigation === 'liminal' &&
            ' With liminal training, during the window each student’s loss also gains λ times the KL divergence from its own frozen starting model’s softmax to its current one, over all logits.'}
        </p>
      </InDetail>
    </Stage>
  );
});
