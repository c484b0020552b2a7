/**
 * The result of a whole run from the results of parts that each trained any models of it (shards:
 * models K−1, K−1+N, …), in any order. Each part's result is cut into one result per model, put
 * in model order, and joined by mergeResults (chunks.ts), the one merge of chunks and parallel
 * parts: so the numbers, summaries and curves are exactly the unsharded run's.
 */
import type { ExperimentConfig } from '../config';
import type { ConditionName, CurvePoint, ExperimentResult, TrainingPhase } from '../results';
import { summarize } from '../stats';
import { mergeResults } from './chunks';
import { traitResult, traitValues } from '../trait/result';

/** A part's result and the global indices of its models, in the order its per-model arrays hold them. */
export interface ModelsResult {
  models: readonly number[];
  result: ExperimentResult;
}

type PerModel = Partial<Record<ConditionName, number[]>>;

const pick = (values: PerModel, row: number): PerModel =>
  Object.fromEntries(Object.entries(values).map(([name, list]) => [name, [list![row]]]));

function pickPoint(point: CurvePoint, row: number): CurvePoint {
  const picked: CurvePoint = {
    ...point,
    accuracy: pick(point.accuracy, row),
    loss: point.loss && pick(point.loss, row),
  };
  if (point.trait) picked.trait = pick(point.trait, row);
  if (point.alignment) {
    const { updateCosine, distance, gradientCosine } = point.alignment;
    picked.alignment = {
      updateCosine: pick(updateCosine, row),
      distance: pick(distance, row),
      gradientCosine: pick(gradientCosine, row),
    };
  }
  return picked;
}

/**
 * Row `row` of `result` as the result of that one model. Predictions (the first model's of the
 * part) and the one-step result stay on every row: mergeResults keeps the first row's, which is
 * model 0's, from the part that measured them on model 0.
 */
export function modelResult(result: ExperimentResult, row: number): ExperimentResult {
  const conditions = Object.fromEntries(
    Object.entries(result.conditions).map(([name, condition]) => {
      const accuracies = [condition.accuracies[row]];
      return [name, { accuracies, ...summarize(accuracies) }];
    }),
  ) as ExperimentResult['conditions'];
  const curves = Object.fromEntries(
    (['teacher', 'distill'] as TrainingPhase[]).map((phase) => [
      phase,
      result.curves[phase].map((point) => pickPoint(point, row)),
    ]),
  ) as ExperimentResult['curves'];
  return {
    ...result,
    conditions,
    curves,
    crossSources: [result.crossSources[row]],
    ...(result.trait && {
      trait: traitResult(
        result.trait.name,
        Object.fromEntries(
          Object.entries(traitValues(result.trait)).map(([name, values]) => [name, [values[row]]]),
        ) as Record<ConditionName, number[]>,
      ),
    }),
    ...(result.chain && {
      chain: result.chain.map((generation) => ({ ...generation, accuracy: pick(generation.accuracy, row) })),
    }),
  };
}

/**
 * The whole run of `config` from `parts` that together hold every model exactly once (checked by
 * the caller, who can say which are missing). Model 0 must be its part's first model: a part's
 * predictions are those of its first model. `backend` and `seconds` are the caller's to choose.
 */
export function mergeModelResults(
  config: ExperimentConfig,
  parts: readonly ModelsResult[],
  seconds: number,
  backend: string,
): ExperimentResult {
  const rows = parts.flatMap(({ models, result }) => models.map((model, row) => ({ model, result, row })));
  rows.sort((a, b) => a.model - b.model);
  const first = rows[0];
  if (!first || first.model !== 0 || first.row !== 0) throw new Error('model 0 must be the first model of its part');
  const merged = mergeResults(
    config,
    rows.map(({ result, row }) => modelResult(result, row)),
    seconds,
  );
  return { ...merged, backend };
}
