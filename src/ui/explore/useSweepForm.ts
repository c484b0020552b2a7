/**
 * The "change one setting" panel's view-model: the setting and its values (filled in from a sweep
 * link, if any), the plan they make from the current settings, why it cannot run, and the chart's data.
 */
import { useMemo, useState } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import { planSweep, type SweepSetting } from '../../experiment/sweep/sweep';
import { DEFAULT_VALUES, type SweepPrefill } from '../state/sweepLink';
import type { SweepRun } from '../state/sweepState';
import { sweepChartData } from './sweepRows';
import { layerCount } from './sweepWords';
import { traitOf } from '../common/trait';

export function useSweepForm(config: ExperimentConfig, sweep: SweepRun | null, prefill: SweepPrefill | null) {
  const [setting, setSetting] = useState<SweepSetting>(prefill?.setting ?? 'auxLogits');
  const [values, setValues] = useState(prefill?.values ?? DEFAULT_VALUES.auxLogits);
  const [linkIssues, setLinkIssues] = useState<readonly string[]>(prefill?.issues ?? []);
  const planned = useMemo(() => planSweep(config, `${setting}=${values}`), [config, setting, values]);
  const layers = config.hidden.length + 1;
  const trait = traitOf(config);
  const data = useMemo(() => {
    if (sweep)
      return sweepChartData(
        sweep.plan.setting,
        sweep.plan.values,
        sweep.points,
        layerCount(sweep),
        traitOf(sweep.base),
      );
    return planned.plan ? sweepChartData(planned.plan.setting, planned.plan.values, [], layers, trait) : null;
  }, [sweep, planned.plan, layers, trait]);
  return {
    setting,
    values,
    /** The link's own issues, shown until a field is edited. */
    linkIssues,
    planned,
    issues: linkIssues.length > 0 ? linkIssues : planned.issues,
    /** The chart's data, or null while the values cannot run. */
    data,
    /** Another setting: its own default values, and the link's issues no longer apply. */
    chooseSetting(next: SweepSetting) {
      setSetting(next);
      setValues(DEFAULT_VALUES[next]);
      setLinkIssues([]);
    },
    editValues(text: string) {
      setValues(text);
      setLinkIssues([]);
    },
  };
}
