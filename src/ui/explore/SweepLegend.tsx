/** The sweep chart's key (the students, the teacher, the community's numbers) and its caption. */
import { SWEEP_SETTINGS } from '../../experiment/sweep/sweep';
import type { Palette } from '../common/palette';
import { COMMUNITY_LABEL } from './community';
import type { SweepChartData } from './sweepRows';

/** What the chart shows, or (before any point) what it will show. */
export function SweepCaption({ data, models, measured }: { data: SweepChartData; models: number; measured: boolean }) {
  return (
    <p className="caption" data-testid="values-caption">
      {measured
        ? `Each point: ${data.meanWords} ${models} model${models === 1 ? '' : 's'} at that value, with its 95% interval. `
        : `What will be measured: for each value of ${SWEEP_SETTINGS[data.setting].label}, the whole experiment with ${models} model${models === 1 ? '' : 's'}; the points appear as each run finishes. `}
      Solid: the student that starts from the teacher&apos;s own random weights and copies only its extra outputs on
      noise. Dashed: the same student from different random weights, the control that should stay at chance.
      {data.community.length > 0 &&
        ` Grey diamonds, ${COMMUNITY_LABEL}: what others measured with the paper's exact recipe (m = 3, batch 1024, 5 + 5 epochs). They are for that recipe, so other presets land elsewhere: compare the shape, not the numbers.`}
    </p>
  );
}

export function SweepLegend({ palette, community }: { palette: Palette; community: boolean }) {
  return (
    <ul className="legend">
      <li>
        <span className="swatch" style={{ background: palette.condition.student_aux }} aria-hidden="true" />
        same-start student
      </li>
      <li>
        <span
          className="swatch swatch-dashed"
          style={{ borderColor: palette.condition.cross_aux }}
          aria-hidden="true"
        />
        different-start student
      </li>
      <li>
        <span className="swatch" style={{ background: palette.condition.teacher, opacity: 0.45 }} aria-hidden="true" />
        teacher
      </li>
      {community && (
        <li>
          <span className="swatch diamond" style={{ background: palette.paper }} aria-hidden="true" />
          {COMMUNITY_LABEL}
        </li>
      )}
    </ul>
  );
}
