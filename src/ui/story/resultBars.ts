/** The result figure as data: one bar per condition, in the paper's order, with its 95% interval. */
import {
  CONDITIONS,
  CONDITION_LABELS,
  PAPER_ACCURACY,
  type ConditionName,
  type ExperimentResult,
} from '../../experiment/results';
import { percent } from '../common/format';

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
  student_aux: ['Same start', 'extra only'],
  student_all: ['Same start', 'all outputs'],
  cross_aux: ['Different start', 'extra only'],
  cross_all: ['Different start', 'all outputs'],
};

export const TINY_LABELS: Record<ConditionName, [string, string]> = {
  reference: ['Ref.', ''],
  teacher: ['Teach.', ''],
  student_aux: ['Same', 'extra'],
  student_all: ['Same', 'all'],
  cross_aux: ['Diff.', 'extra'],
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

/**
 * This run's same-start student against the paper's, in words that follow the numbers: within the
 * run's 95% interval of the paper's value, or so many points above or below it.
 */
export function paperComparison(result: ExperimentResult | null): string {
  const paper = PAPER_ACCURACY.student_aux;
  const recipe = `Cloud et al. 2026, 100 models of its own recipe (784 → 256 → 256 → 10 + 3, five epochs each): its same-start student reads ${percent(paper)}.`;
  if (!result) return recipe;
  const { mean, ci95 } = result.conditions.student_aux;
  const points = Math.round(Math.abs(mean - paper) * 100);
  const where =
    ci95 !== null && Math.abs(mean - paper) <= ci95
      ? "within this run's 95% interval of the paper's"
      : points === 0
        ? "the paper's value"
        : `${points} point${points === 1 ? '' : 's'} ${mean > paper ? 'above' : 'below'} the paper's`;
  return `${recipe} This run's reads ${percent(mean)}, ${where}; a run with another network, fewer models or other epochs need not land on the paper's number.`;
}
