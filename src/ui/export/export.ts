/**
 * Results in files: JSON (the CLI's schema, exactly) and CSV (csv.ts). Pure: results in, text out;
 * downloading is common/download.ts's job, figures common/figure.tsx's.
 */
import { CONDITIONS, CONDITION_LABELS, PAPER_ACCURACY, type ExperimentResult } from '../../experiment/results';
import { isTaught } from '../common/trait';
import { csv } from './csv';

/** The ExperimentResult as the CLI's `--out results.json` writes it. */
export function resultJson(result: ExperimentResult): string {
  return JSON.stringify(result, null, 2);
}

/**
 * One row per condition and model: `condition,model,accuracy` (model numbered from 0, as in the
 * JSON), and for a taught trait its measure too, in a column named after it (`favourite`).
 */
export function resultCsv(result: ExperimentResult): string {
  const trait = result.trait && isTaught(result.trait.name) ? result.trait : null;
  return csv([
    ['condition', 'model', 'accuracy', ...(trait ? [trait.name] : [])],
    ...CONDITIONS.flatMap((name) =>
      result.conditions[name].accuracies.map((accuracy, model) => [
        name,
        model,
        accuracy,
        ...(trait ? [trait.conditions[name].values[model]] : []),
      ]),
    ),
  ]);
}

/** One row per condition: its mean, sample sd, 95% half-width (empty for one model) and the paper's mean. */
export function summaryCsv(result: ExperimentResult): string {
  return csv([
    ['condition', 'label', 'models', 'mean', 'sd', 'ci95', 'paper'],
    ...CONDITIONS.map((name) => {
      const c = result.conditions[name];
      return [name, CONDITION_LABELS[name], c.accuracies.length, c.mean, c.sd, c.ci95, PAPER_ACCURACY[name]];
    }),
  ]);
}
