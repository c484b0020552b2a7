/**
 * Stage 4: the result — every condition side by side, with the featured comparison in words: the
 * teacher's trait first when it was taught one, and the mitigation when the run had one.
 */
import type { ConditionName, ExperimentResult } from '../../experiment/results';
import { percent } from '../common/format';
import { mitigationWords } from '../common/mitigation';
import { isTaught, resultTrait, traitDoes } from '../common/trait';
import type { Palette } from '../common/palette';
import { ResultChart } from './ResultChart';
import { ResultTable } from './ResultTable';
import { Stage } from '../common/Stage';
import { InDetail } from './InDetail';
import { paperComparison } from './resultBars';

interface Props {
  result: ExperimentResult | null;
  featured: ConditionName;
  palette: Palette;
}

function Verdict({ result, featured }: { result: ExperimentResult; featured: ConditionName }) {
  const same = result.conditions.student_aux.mean;
  const different = result.conditions.cross_aux.mean;
  const models = result.conditions.student_aux.accuracies.length;
  return (
    <p className="verdict" data-testid="verdict">
      <span className={featured === 'student_aux' ? 'featured' : undefined}>
        Same-start student: reads <strong>{percent(same)}</strong> of test digits it never saw.
      </span>{' '}
      <span className={featured === 'cross_aux' ? 'featured' : undefined}>
        Different-start student: <strong>{percent(different)}</strong>.
      </span>{' '}
      Chance is 10%. ({models} model{models === 1 ? '' : 's'} per condition.)
    </p>
  );
}

/** The taught trait's comparison: "Same-start student: says 7 on noise 64% of the time." */
function TraitVerdict({ result, featured }: { result: ExperimentResult; featured: ConditionName }) {
  const trait = resultTrait(result);
  if (!isTaught(trait) || !result.trait) return null;
  const { student_aux, cross_aux } = result.trait.conditions;
  return (
    <p className="verdict" data-testid="trait-verdict">
      <span className={featured === 'student_aux' ? 'featured' : undefined}>
        Same-start student: <strong>{traitDoes(trait, student_aux.mean)}</strong>.
      </span>{' '}
      <span className={featured === 'cross_aux' ? 'featured' : undefined}>
        Different-start student: <strong>{percent(cross_aux.mean)}</strong>.
      </span>{' '}
      Chance is 10%.
    </p>
  );
}

export function ResultStage({ result, featured, palette }: Props) {
  const mitigation = mitigationWords(result?.config);
  return (
    <Stage number={4} title="The result" className="stage-result">
      {result ? (
        <>
          <TraitVerdict result={result} featured={featured} />
          <Verdict result={result} featured={featured} />
          {mitigation && (
            <p className="mitigation-note" data-testid="result-mitigation">
              <strong>Mitigation:</strong> {mitigation}.
            </p>
          )}
        </>
      ) : (
        <p className="verdict">
          At the end every model is tested on all 10,000 test digits. The faint bars show what the paper found; this
          run&apos;s bars, with their 95% intervals, appear when it finishes.
        </p>
      )}
      <ResultChart result={result} featured={featured} palette={palette} />
      <ul className="legend">
        <li>
          <span className="swatch" style={{ background: palette.paper, opacity: 0.45 }} aria-hidden="true" />
          paper (Cloud et al. 2026, its own recipe, 100 models)
        </li>
        <li>
          <span className="swatch" style={{ background: palette.condition[featured] }} aria-hidden="true" />
          this run: mean, with a 95% interval over models
        </li>
      </ul>
      <ResultTable result={result} featured={featured} palette={palette} />
      <InDetail testId="result-detail">
        <dl>
          <dt>Test accuracy</dt>
          <dd>
            The share of the 10,000 MNIST test digits a model labels right, taking the largest of its 10 digit outputs
            as its answer. Guessing gets 10%.
          </dd>
          {result?.trait && isTaught(resultTrait(result)) && (
            <>
              <dt>The teacher&apos;s trait</dt>
              <dd data-testid="trait-measure">
                Measured as the {result.trait.measure}. A model answering at random would hit it one time in ten.
              </dd>
            </>
          )}
          <dt>95% interval</dt>
          <dd>
            Mean ± 1.96 · sd / √n over the n models of a condition, in percentage points (none with a single model).
          </dd>
          <dt>The six conditions</dt>
          <dd>
            Reference: an untrained network. Teacher: trained with cross-entropy on its 10 class logits only. Students
            start from the teacher&apos;s initial weights (same start) or another model&apos;s (different start) and
            imitate the teacher on noise: &ldquo;extra outputs only&rdquo; copies just its m auxiliary logits;
            &ldquo;all outputs&rdquo; copies all 10 + m logits, the digit logits included.
          </dd>
          <dt>Paper</dt>
          <dd data-testid="paper-comparison">{paperComparison(result)}</dd>
        </dl>
      </InDetail>
    </Stage>
  );
}
