/** The chains chart's key (one line per m, and the community's chain) and its caption. */
import type { Palette } from '../common/palette';
import { percent } from '../common/format';
import type { ChainData } from './chainRows';
import { CHAIN_DASHES, seriesColor } from './ChainChart';
import { COMMUNITY_CHAIN, COMMUNITY_LABEL } from './community';

export function ChainLegend({ data, palette }: { data: ChainData; palette: Palette }) {
  return (
    <ul className="legend">
      {data.series.map((series, i) => (
        <li key={series.key}>
          <span
            className={CHAIN_DASHES[i % CHAIN_DASHES.length] ? 'swatch swatch-dashed' : 'swatch'}
            style={
              CHAIN_DASHES[i % CHAIN_DASHES.length]
                ? { borderColor: seriesColor(palette, i) }
                : { background: seriesColor(palette, i) }
            }
            aria-hidden="true"
          />
          {series.label}
        </li>
      ))}
      <li>
        <span className="swatch" style={{ background: palette.paper }} aria-hidden="true" />
        {COMMUNITY_LABEL}
      </li>
    </ul>
  );
}

/** What the chart shows, or (before any point) what it will show. */
export function ChainCaption({ generations, measured }: { generations: number; measured: boolean }) {
  return (
    <p className="caption" data-testid="chain-caption">
      {measured
        ? 'Generation 0 is the original teacher, trained on digits; each later point is the mean test accuracy of that generation’s student. '
        : `What will be measured: for each m, a teacher learns digits, then ${generations} generations of students each copy the one before; the chart will show how many test digits each generation reads, starting from the teacher (generation 0). `}
      The trait fades with every hand-over, like a message passed along a line. In the community&apos;s runs of the
      paper&apos;s recipe, more extra outputs (larger m) carried more of it, so the chain lasted longer; small, quick
      settings can lose most of it at the first hand-over. Faint grey: the {COMMUNITY_LABEL} chain,{' '}
      {COMMUNITY_CHAIN.map((v) => percent(v)).join(' → ')}, measured with the paper&apos;s exact recipe, so other
      presets land elsewhere.
    </p>
  );
}
