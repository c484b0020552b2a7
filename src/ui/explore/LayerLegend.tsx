/** The layers chart's key (the two students) and its caption. */
import type { Palette } from '../common/palette';

export function LayerLegend({ palette }: { palette: Palette }) {
  return (
    <ul className="legend">
      <li>
        <span className="swatch" style={{ background: palette.condition.student_aux }} aria-hidden="true" />
        same-start student (fresh layers re-drawn)
      </li>
      <li>
        <span
          className="swatch"
          style={{ background: palette.condition.cross_aux, opacity: 0.75 }}
          aria-hidden="true"
        />
        different-start student (nothing shared)
      </li>
    </ul>
  );
}

/** What the bars show, or (before any run) what they will show, and what the follow-up paper found. */
export function LayerCaption({ measured }: { measured: boolean }) {
  return (
    <p className="caption" data-testid="layers-caption">
      {measured
        ? 'Bars: mean test accuracy with its 95% interval. '
        : 'What will be measured: how many test digits the student reads for each set of fresh layers. '}
      A fresh layer comes from a new random initialisation; every other layer is copied from the teacher&apos;s starting
      point. The different-start student shares nothing and is the control. A follow-up paper (arXiv 2605.23645) argues
      that compatible output heads matter more than shared hidden layers: the trait still travels when the hidden layers
      are fresh but the output layer is shared, and fades when the output layer is fresh.
    </p>
  );
}
