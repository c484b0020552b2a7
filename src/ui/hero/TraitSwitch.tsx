/**
 * Which trait the teacher has, as three segments over the verdict: digit skill (the experiment as
 * the paper runs it), a favourite digit (it answers 7 on noise: the paper's owl) or a misbehaviour
 * (every 3 read as 8). It edits the `trait` setting like the settings form does, so it lands in
 * the link; the run on screen keeps its own trait until Run trains the new one, and the row says so.
 * One line, so the first screen keeps its room for the chart.
 */
import { memo } from 'react';
import type { TraitName } from '../../experiment/config';
import { TRAIT_LABELS, TRAIT_TAUGHT, TRAITS } from '../common/trait';

interface Props {
  /** The trait the settings hold (a draft: a link may give one the page refuses, then none is chosen). */
  chosen: string;
  /** The trait of the run on screen, when there is one. */
  shown: TraitName | null;
  onChoose: (trait: TraitName) => void;
}

export const TraitSwitch = memo(function TraitSwitch({ chosen, shown, onChoose }: Props) {
  const known = (TRAITS as readonly string[]).includes(chosen) ? (chosen as TraitName) : null;
  const pending = known !== null && shown !== null && known !== shown;
  return (
    <div
      className="trait-switch"
      role="radiogroup"
      data-testid="trait-switch"
      aria-labelledby="trait-switch-label"
      aria-describedby="trait-switch-note"
    >
      <span id="trait-switch-label" className="trait-switch-label">
        Teacher&apos;s trait
      </span>
      <div className="trait-segments">
        {TRAITS.map((trait) => (
          <label key={trait} className={trait === known ? 'segment on' : 'segment'} title={TRAIT_TAUGHT[trait]}>
            <input
              type="radio"
              name="hero-trait"
              value={trait}
              data-testid={`trait-${trait}`}
              checked={trait === known}
              onChange={() => onChoose(trait)}
            />
            <span>{TRAIT_LABELS[trait]}</span>
          </label>
        ))}
      </div>
      <span id="trait-switch-note" className="trait-switch-note" aria-live="polite">
        <span className="visually-hidden">
          {known === null ? 'The link gave a trait the page does not know.' : TRAIT_TAUGHT[known]}
        </span>
        {pending && 'Press Run to train it.'}
      </span>
    </div>
  );
});
