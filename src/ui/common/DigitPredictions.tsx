/** The sample test digits, each with a model's guess under it: green ✓ when right, red ✗ when wrong. */
import { SAMPLE_DIGITS } from '../../experiment/results';
import { DigitCanvas } from './DigitCanvas';

export interface SampleDigits {
  images: number[][];
  labels: number[];
}

export function DigitPredictions({
  digits,
  predictions,
  who,
}: {
  digits: SampleDigits | null;
  predictions: number[] | null;
  who: string;
}) {
  const right = digits && predictions ? predictions.filter((p, i) => p === digits.labels[i]).length : null;
  return (
    <figure className="digits">
      <ol className="digit-row" aria-label={`${who}'s guesses on ${SAMPLE_DIGITS} test digits`}>
        {Array.from({ length: SAMPLE_DIGITS }, (_, i) => {
          const label = digits?.labels[i];
          const guess = predictions?.[i];
          const known = label !== undefined && guess !== undefined;
          const ok = known && guess === label;
          return (
            <li key={i} className="digit">
              <DigitCanvas
                pixels={digits?.images[i] ?? null}
                range="byte"
                label={label === undefined ? 'test digit (not loaded yet)' : `handwritten ${label}`}
              />
              <span
                className={`guess ${known ? (ok ? 'right' : 'wrong') : 'unknown'}`}
                aria-label={known ? `guess ${guess}, ${ok ? 'right' : `wrong (it is a ${label})`}` : 'no guess yet'}
              >
                {known ? `${guess} ${ok ? '✓' : '✗'}` : '?'}
              </span>
            </li>
          );
        })}
      </ol>
      <figcaption>
        {right === null ? `${who}'s guesses appear as it trains.` : `${who}: ${right} of ${SAMPLE_DIGITS} right.`}
      </figcaption>
    </figure>
  );
}
