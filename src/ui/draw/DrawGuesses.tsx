/**
 * The three readings of a drawn digit, the teacher's and its two students' (those that copied only
 * its extra outputs): each model's top guess, how sure it is, and all ten digits as bars.
 */
import type { DrawModel } from '../../experiment/results';
import type { Guesses } from '../../worker/protocol';
import { percent } from '../common/format';
import { DrawBars } from './DrawBars';

export const DRAW_LABELS: Record<DrawModel, string> = {
  teacher: 'Teacher',
  student_aux: 'Same-start student',
  cross_aux: 'Different-start student',
};

const WHO: Record<DrawModel, string> = {
  teacher: 'learnt from MNIST digits',
  student_aux: 'never saw a digit; started as the teacher did',
  cross_aux: 'never saw a digit; started elsewhere',
};

export interface DrawGuessesProps {
  /** The models the engine can read with (empty before any run). */
  models: readonly DrawModel[];
  /** Their latest reading of the drawing, or null before any. */
  guesses: Guesses | null;
  /** False while the pad is blank. */
  drawing: boolean;
  featured: 'student_aux' | 'cross_aux';
}

export function DrawGuesses({ models, guesses, drawing, featured }: DrawGuessesProps) {
  const order: DrawModel[] = ['teacher', 'student_aux', 'cross_aux'];
  return (
    <ul className="draw-guesses" aria-label="What the models read">
      {order.map((name) => {
        const guess = drawing && models.includes(name) ? guesses?.[name] : undefined;
        const note =
          models.length === 0
            ? 'Not trained yet'
            : !models.includes(name)
              ? 'Learns after the teacher'
              : !drawing
                ? 'Draw a digit'
                : guess
                  ? `${percent(guess.probability)} sure`
                  : 'Reading…';
        return (
          <li
            key={name}
            className={`draw-guess draw-guess-${name}${name === featured ? ' featured' : ''}`}
            aria-current={name === featured ? 'true' : undefined}
            data-testid={`draw-guess-${name}`}
          >
            <span className="draw-guess-label">{DRAW_LABELS[name]}</span>
            <span className="draw-guess-who">{WHO[name]}</span>
            <span className="draw-guess-digit" aria-hidden={guess ? undefined : true}>
              {guess ? guess.digit : '–'}
            </span>
            <span className="draw-guess-note">
              {guess && <span className="visually-hidden">reads {guess.digit}, </span>}
              {note}
            </span>
            <DrawBars name={name} label={DRAW_LABELS[name]} probabilities={guess?.probabilities ?? null} />
          </li>
        );
      })}
    </ul>
  );
}
