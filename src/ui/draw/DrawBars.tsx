/**
 * One model's reading of the drawing as ten bars, one per digit (as Teachable Machine shows its
 * classes): the bar's height is the model's probability for that digit, its top guess stands out.
 * Always ten bars, empty (and without `data-p`) until the model has read something.
 */
import type { DrawModel } from '../../experiment/results';
import { percent } from '../common/format';

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

export interface DrawBarsProps {
  name: DrawModel;
  /** The model's label, for the list's accessible name. */
  label: string;
  /** Its ten class probabilities, or null while it has read nothing. */
  probabilities: readonly number[] | null;
}

export function DrawBars({ name, label, probabilities }: DrawBarsProps) {
  const reading = probabilities && probabilities.length === DIGITS.length ? probabilities : null;
  const top = reading ? reading.indexOf(Math.max(...reading)) : -1;
  return (
    <ol className="draw-bars" data-testid={`draw-bars-${name}`} aria-label={`${label}: how sure it is of each digit`}>
      {DIGITS.map((digit) => {
        const p = reading?.[digit];
        return (
          <li
            key={digit}
            className={digit === top ? 'draw-bar draw-bar-top' : 'draw-bar'}
            data-digit={digit}
            data-p={p === undefined ? undefined : String(p)}
          >
            <span className="draw-bar-track" aria-hidden="true">
              <span className="draw-bar-fill" style={{ height: `${((p ?? 0) * 100).toFixed(1)}%` }} />
            </span>
            <span className="draw-bar-digit" aria-hidden="true">
              {digit}
            </span>
            <span className="visually-hidden">
              {p === undefined ? `${digit}: no reading` : `${digit}: ${percent(p)}`}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
