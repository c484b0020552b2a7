/** Stage 2: the teacher "speaks" on noise — four noise images and its auxiliary outputs on each. */
import { memo } from 'react';
import { SAMPLE_NOISE } from '../../experiment/results';
import type { Palette } from '../common/palette';
import { AuxBars } from './AuxBars';
import { DigitCanvas } from '../common/DigitCanvas';
import { InDetail } from './InDetail';
import { Stage } from '../common/Stage';

interface Props {
  noise: { images: number[][]; auxProbabilities: number[][] } | null;
  auxLogits: number;
  noiseKind: string;
  palette: Palette;
}

/** What the students look at, in plain words, for each kind of input. */
const INPUT_WORDS: Record<string, string> = {
  uniform: 'pure random noise',
  gaussian: 'pure random noise',
  shuffled: 'digit images with their pixels shuffled into noise',
  mnist: 'real digit images (a control: not noise at all)',
};

const INPUT_DETAIL: Record<string, string> = {
  uniform: 'every pixel drawn uniformly at random',
  gaussian: 'every pixel drawn from a Gaussian',
  shuffled: 'MNIST training images, each with its own random permutation of the pixels',
  mnist: 'MNIST training images, unchanged',
};

export const NoiseStage = memo(function NoiseStage({ noise, auxLogits, noiseKind, palette }: Props) {
  return (
    <Stage number={2} title="The teacher “speaks” on noise">
      <p>
        Now the teacher looks at {INPUT_WORDS[noiseKind] ?? `${noiseKind} noise`}, and we read only its {auxLogits}{' '}
        extra outputs. To us they are meaningless numbers with nothing about digits in them, yet they are all the
        student will ever see.
      </p>
      <ul className="noise-row" aria-label="Noise images and the teacher's extra outputs on each">
        {Array.from({ length: SAMPLE_NOISE }, (_, i) => (
          <li key={i} className="noise-item">
            <DigitCanvas pixels={noise?.images[i] ?? null} range="signed" label={`noise image ${i + 1}`} />
            <AuxBars
              probabilities={noise?.auxProbabilities[i] ?? null}
              color={palette.condition.teacher}
              label={`Teacher's extra outputs on noise image ${i + 1}`}
            />
          </li>
        ))}
      </ul>
      <p className="caption">
        {noise
          ? `Bars: how strongly the teacher answers with each of its ${auxLogits} extra outputs on each image.`
          : 'The noise and the teacher’s answers appear once the teacher has learnt.'}
      </p>
      <InDetail testId="noise-detail">
        <p>
          The inputs: {INPUT_DETAIL[noiseKind] ?? noiseKind}. Each bar chart is the softmax over the teacher&apos;s{' '}
          {auxLogits} auxiliary logits on that image, scaled so its largest bar fills the height. The students are
          trained to match these, on the same kind of input.
        </p>
      </InDetail>
    </Stage>
  );
});
