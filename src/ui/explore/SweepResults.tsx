/** The sweep's chart with its key, caption and table; or, while the values cannot run, a line saying so. */
import { SWEEP_SETTINGS } from '../../experiment/sweep/sweep';
import type { Palette } from '../common/palette';
import type { SweepRun } from '../state/sweepState';
import { SweepChart } from './SweepChart';
import { SweepCaption, SweepLegend } from './SweepLegend';
import type { SweepChartData } from './sweepRows';
import { SweepTable } from './SweepTable';

interface Props {
  /** The chart's data, or null while the values cannot run. */
  data: SweepChartData | null;
  sweep: SweepRun | null;
  palette: Palette;
  /** Models per value. */
  models: number;
}

export function SweepResults({ data, sweep, palette, models }: Props) {
  return data ? (
    <>
      <SweepChart data={data} palette={palette} />
      <SweepLegend palette={palette} community={data.community.length > 0} />
      <SweepCaption data={data} models={models} measured={!!sweep && sweep.points.length > 0} />
      {sweep && (
        <SweepTable
          testId="values-table"
          heading={SWEEP_SETTINGS[data.setting].label}
          caption={`${data.measure} (mean), ± the 95% interval (none for one model).`}
          rows={data.rows.map((row) => ({ ...row, label: row.lines.join(' ').trim() }))}
        />
      )}
    </>
  ) : (
    <p className="caption">The chart appears once the values can run.</p>
  );
}
