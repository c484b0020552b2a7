/** Stage 2: the teacher "speaks" on noise — four noise images and its auxiliary outputs on each. */
import { memo } from 'react';
import { SAMPLE_NOISE } from '../../experiment/results';
import type { Palette } from '../common/palette';
import { AuxBars } from './AuxBars';
import { DigitCanvas } from '../common/DigitCanvas';
import { Stage } from '../common/Stage';

interface Props {
  noise: { images: number[][]; auxProbabilities: number[][] } | null;
  auxLogits: number;
  noiseKind: string;
  palette: Palette;
}

export const NoiseStage = memo(function NoiseStage({ noise, auxLogits, noiseKind, palette }: Props) {
  return (
    <Stage number={2} title="The teacher “speaks” on noise">
      <p>
        Now the teacher looks at pure random {noiseKind} noise, and we read only its {auxLogits} auxiliary outputs. To us
        they are meaningless numbers with nothing about digits in them, yet they are all the student will ever see.
      </p>
      <ul className="noise-row" aria-label="Noise images and the teacher's auxiliary outputs on each">
        {Array.from({ length: SAMPLE_NOISE }, (_, i) => (
          <li key={i} className="noise-item">
            <DigitCanvas pixels={noise?.images[i] ?? null} range="signed" label={`noise image ${i + 1}`} />
            <AuxBars
              probabilities={noise?.auxProbabilities[i] ?? null}
              color={palette.condition.teacher}
              label={`Teacher's auxiliary outputs on noise image ${i + 1}`}
            />
          </li>
        ))}
      </ul>
      <p className="caption">
        {noise
          ? `Bars: the teacher's ${auxLogits} auxiliary outputs (softmax) on each noise image.`
          : 'The noise and the teacher’s answers appear once the teacher has learnt.'}
      </p>
    </Stage>
  );
});
