/** The result figure as data: one bar per condition, in the paper's order, with its 95% interval. */
import {
  CONDITIONS,
  CONDITION_LABELS,
  PAPER_ACCURACY,
  type ConditionName,
  type ExperimentResult,
} from '../../experiment/results';

export interface ResultBar {
  name: ConditionName;
  label: string;
  /** Two short lines for the chart's axis. */
  short: [string, string];
  /** Two shorter lines still, for a phone's axis. */
  tiny: [string, string];
  paper: number;
  /** This run's mean over models; null before a result. */
  mean: number | null;
  /** Half-width of the 95% interval (1.96·sd/√n); null for one model or before a result. */
  ci: number | null;
  models: number;
  featured: boolean;
}

export const SHORT_LABELS: Record<ConditionName, [string, string]> = {
  reference: ['Untrained', 'reference'],
  teacher: ['Teacher', ''],
  student_aux: ['Same init', 'aux only'],
  student_all: ['Same init', 'all logits'],
  cross_aux: ['Diff. init', 'aux only'],
  cross_all: ['Diff. init', 'all logits'],
};

export const TINY_LABELS: Record<ConditionName, [string, string]> = {
  reference: ['Ref.', ''],
  teacher: ['Teach.', ''],
  student_aux: ['Same', 'aux'],
  student_all: ['Same', 'all'],
  cross_aux: ['Diff.', 'aux'],
  cross_all: ['Diff.', 'all'],
};

export function resultBars(result: ExperimentResult | null, featured: ConditionName): ResultBar[] {
  return CONDITIONS.map((name) => {
    const condition = result?.conditions[name];
    return {
      name,
      label: CONDITION_LABELS[name],
      short: SHORT_LABELS[name],
      tiny: TINY_LABELS[name],
      paper: PAPER_ACCURACY[name],
      mean: condition ? condition.mean : null,
      ci: condition ? condition.ci95 : null,
      models: condition ? condition.accuracies.length : 0,
      featured: name === featured,
    };
  });
}
