/** Saved runs made up for the history tests. */
import { preset, type ExperimentConfig } from '../../../src/experiment/config';
import type { NewSavedRun, SavedRun } from '../../../src/ui/history/store';
import { ACCURACIES, ALIGNED_POINTS, makeResult, makeTheorem, point } from './fixtures';

/** A run as the page saves it: curves with alignment, the one-step theorem. */
export function record(
  ranAt: number,
  models = 4,
  changes: Partial<ExperimentConfig> = {},
  accuracies = ACCURACIES,
): NewSavedRun {
  const config = { ...preset('tiny'), models, ...changes };
  const result = {
    ...makeResult(config, accuracies),
    curves: { teacher: [point(0, 0, { teacher: [0.1, 0.2] })], distill: ALIGNED_POINTS },
    theorem: makeTheorem(),
  };
  return {
    config,
    backend: 'wasm',
    result,
    theorem: result.theorem,
    digits: { images: [[0.5, -1]], labels: [7] },
    noise: null,
    ranAt,
  };
}

/** A stored run: a record with its id. */
export function saved(id: number, ...args: Parameters<typeof record>): SavedRun {
  return { ...record(...args), id };
}
