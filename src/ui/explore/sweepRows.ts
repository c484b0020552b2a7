/**
 * A sweep → the data of its chart: one row per planned value (empty until its run finishes) with the
 * same-init and different-init aux students' mean test accuracy and 95% interval and the teacher's
 * mean; where each value sits on the x axis (log for numbers spanning decades, the value itself for
 * σ, its place in the list for words); and the community's numbers that fall on the chart. A
 * sweep of a run with a taught trait plots the trait's measure instead (how often each says 7 on
 * noise, or calls a 3 an 8), and no community numbers (they are test accuracies). Pure.
 */
import type { TraitName } from '../../experiment/config';
import type { ConditionName, ExperimentResult } from '../../experiment/results';
import { SWEEP_SETTINGS, type SweepPoint, type SweepSetting } from '../../experiment/sweep/sweep';
import { isTaught, TRAIT_AXIS } from '../common/trait';
import { COMMUNITY } from './community';
import { layerLines } from './sweepWords';

export type AxisKind = 'log' | 'linear' | 'category';

export interface SweepRow {
  value: string;
  /** Position on the x axis: log10 of the value, the value, or its index. */
  x: number;
  /** The tick's two lines. */
  lines: [string, string];
  /** Same-init aux student: mean and 95% half-width (null for one model); null before the run. */
  same: number | null;
  sameCi: number | null;
  /** Different-init aux student (the control). */
  different: number | null;
  differentCi: number | null;
  teacher: number | null;
  models: number;
}

export interface CommunityMarker {
  value: string;
  x: number;
  y: number;
}

export interface SweepChartData {
  setting: SweepSetting;
  /** What the y axis measures, in words: "Test accuracy", "How often each says 7 on noise". */
  measure: string;
  /** A point's number in words, up to its models: "the mean test accuracy of", "how often a student says 7 on noise, on average over". */
  meanWords: string;
  axis: AxisKind;
  axisLabel: string;
  domain: [number, number];
  rows: SweepRow[];
  community: CommunityMarker[];
}

/** How a setting's values lie on an axis: words in order, or numbers (log when all are > 0 and the setting scales so). */
export function axisKind(setting: SweepSetting, values: readonly string[]): AxisKind {
  if (!SWEEP_SETTINGS[setting].numeric) return 'category';
  const numbers = values.map(Number);
  if (values.some((v) => v.trim() === '') || numbers.some((n) => !Number.isFinite(n))) return 'category';
  // σ starts at 0 (an exact copy), so it keeps a plain axis; the rest span factors.
  return setting !== 'studentInitNoise' && numbers.every((n) => n > 0) ? 'log' : 'linear';
}

function position(axis: AxisKind, value: string, index: number): number {
  if (axis === 'category') return index;
  return axis === 'log' ? Math.log10(Number(value)) : Number(value);
}

function domainOf(axis: AxisKind, xs: readonly number[]): [number, number] {
  if (axis === 'category') return [-0.5, Math.max(xs.length, 1) - 0.5];
  const low = Math.min(...xs);
  const high = Math.max(...xs);
  const pad = high > low ? (high - low) * 0.06 : axis === 'log' ? 0.3 : Math.max(Math.abs(low) * 0.1, 0.01);
  return [low - pad, high + pad];
}

function markers(
  setting: SweepSetting,
  axis: AxisKind,
  values: readonly string[],
  xs: readonly number[],
): CommunityMarker[] {
  const known = COMMUNITY[setting] ?? [];
  if (axis === 'category') {
    return known.flatMap((p) => {
      const index = values.indexOf(p.value);
      return index < 0 ? [] : [{ value: p.value, x: index, y: p.accuracy }];
    });
  }
  // Only those within the values swept, so the axis stays the user's.
  const low = Math.min(...xs);
  const high = Math.max(...xs);
  const epsilon = 1e-9;
  return known
    .map((p) => ({ value: p.value, x: position(axis, p.value, 0), y: p.accuracy }))
    .filter((m) => Number.isFinite(m.x) && m.x >= low - epsilon && m.x <= high + epsilon);
}

/** A condition's mean and interval in the sweep's measure: its trait's for a taught trait, else test accuracy. */
function measured(result: ExperimentResult | undefined, name: ConditionName, trait: TraitName) {
  if (!result) return undefined;
  return isTaught(trait) && result.trait ? result.trait.conditions[name] : result.conditions[name];
}

/**
 * `layers`: of the sweep's network (hidden layers + 1), to name re-initialised layers in words;
 * `trait`: the sweep's (its base config's), whose measure the rows hold.
 */
export function sweepChartData(
  setting: SweepSetting,
  values: readonly string[],
  points: readonly SweepPoint[],
  layers: number,
  trait: TraitName = 'digits',
): SweepChartData {
  const axis = axisKind(setting, values);
  const rows = values.map((value, index): SweepRow => {
    const result = points.find((p) => p.value === value)?.result;
    const same = measured(result, 'student_aux', trait);
    const different = measured(result, 'cross_aux', trait);
    return {
      value,
      x: position(axis, value, index),
      lines: setting === 'freshLayers' ? layerLines(value, layers) : [value, ''],
      same: same?.mean ?? null,
      sameCi: same?.ci95 ?? null,
      different: different?.mean ?? null,
      differentCi: different?.ci95 ?? null,
      teacher: measured(result, 'teacher', trait)?.mean ?? null,
      models: result?.conditions.student_aux.accuracies.length ?? 0,
    };
  });
  // Numbers in increasing order, so lines join neighbours; words as listed.
  if (axis !== 'category') rows.sort((a, b) => a.x - b.x);
  const xs = rows.map((row) => row.x);
  return {
    setting,
    measure: isTaught(trait) ? `How often each ${TRAIT_AXIS[trait]}` : 'Test accuracy',
    meanWords: isTaught(trait)
      ? `how often a student ${TRAIT_AXIS[trait]}, on average over`
      : 'the mean test accuracy of',
    axis,
    axisLabel: `${SWEEP_SETTINGS[setting].label}${axis === 'log' ? ' (log scale)' : ''}`,
    domain: domainOf(axis, xs),
    rows,
    community: isTaught(trait) ? [] : markers(setting, axis, values, xs),
  };
}
