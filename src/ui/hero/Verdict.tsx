/**
 * The verdict in big numbers: "Same start 69 % · different start 12 % · chance 10 %", marked
 * "so far" while the students train and "final" once every model is tested, with one sentence
 * saying what it means. The switch's student is the one outlined. The numbers are the trait's
 * measure (test accuracy for digits), named in the line under them.
 */
import { memo } from 'react';
import { CHANCE } from '../common/chartAxes';
import { percent } from '../common/format';
import type { HeroVerdict } from './heroView';
import { statusWords } from './verdictWords';

/**
 * A student's number: what is coming before it has one, and "at chance" for a reading under
 * chance before the end (noise on a thousand digits, not a result).
 */
function number(verdict: HeroVerdict, value: number | null): string {
  if (value === null) return verdict.status === 'waiting' ? '?' : 'next';
  if (verdict.status === 'so-far' && value < CHANCE) return AT_CHANCE;
  return percent(value);
}

const AT_CHANCE = 'at chance';
/** Words set smaller than a number, so the row keeps to its card ("at chance" is three numbers wide). */
const wordsClass = (text: string) => (text === AT_CHANCE ? 'in-words' : undefined);

interface Props {
  verdict: HeroVerdict;
  featured: 'student_aux' | 'cross_aux';
  curveTestImages: number;
}

export const Verdict = memo(function Verdict({ verdict, featured, curveTestImages }: Props) {
  const same = number(verdict, verdict.same);
  const different = number(verdict, verdict.different);
  return (
    <section
      className="hero-verdict"
      data-testid="hero-verdict"
      data-status={verdict.status}
      data-trait={verdict.trait}
      aria-label="Result"
    >
      <p className="verdict-numbers">
        <span className={`verdict-item same${featured === 'student_aux' ? ' featured' : ''}`}>
          <span className="verdict-label">Same start</span>{' '}
          <strong data-testid="verdict-same" data-value={verdict.same ?? undefined} className={wordsClass(same)}>
            {same}
          </strong>
        </span>
        <span className={`verdict-item different${featured === 'cross_aux' ? ' featured' : ''}`}>
          <span className="verdict-label">Different start</span>{' '}
          <strong
            data-testid="verdict-different"
            data-value={verdict.different ?? undefined}
            className={wordsClass(different)}
          >
            {different}
          </strong>
        </span>
        <span className="verdict-item chance">
          <span className="verdict-label">Chance</span> <strong>{percent(CHANCE)}</strong>
        </span>
      </p>
      <p className="verdict-status">{statusWords(verdict, curveTestImages)}</p>
      <p className="verdict-sentence" aria-live="polite">
        {verdict.sentence}
      </p>
    </section>
  );
});
