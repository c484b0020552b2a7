/**
 * The six conditions a run compares, and what they start from: a teacher and four students per
 * model, every one an exact copy of some reference initialisation.
 */
import type { ExperimentConfig } from './config';
import { initialParameters, layerSizes, type HostParameters } from './mlp';
import { Random } from './random';
import { STUDENT_CONDITIONS, type ConditionName } from './results';
import type { DistillTarget } from './train';

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * For model i, the model whose reference init its cross students start from: a derangement
 * (never its own). A single model is paired with an extra init that no model trains from.
 */
export function crossSources(models: number, seed: number): number[] {
  if (models === 1) return [1];
  return Array.from(Random.stream(seed, 'cross').derangement(models));
}

export const STUDENT_TARGETS: Record<(typeof STUDENT_CONDITIONS)[number], DistillTarget> = {
  student_aux: 'aux',
  student_all: 'all',
  cross_aux: 'aux',
  cross_all: 'all',
};

/** Splits a per-student vector (blocks of k in STUDENT_CONDITIONS order) by condition. */
export function byStudentCondition<T>(values: T[], k: number): Partial<Record<ConditionName, T[]>> {
  return Object.fromEntries(STUDENT_CONDITIONS.map((name, block) => [name, values.slice(block * k, (block + 1) * k)]));
}

/** Model 0's row of each student condition (rows 0, k, 2k, 3k of the student stack). */
export function firstOfEachStudentCondition<T>(rows: T[], k: number): Partial<Record<ConditionName, T>> {
  return Object.fromEntries(STUDENT_CONDITIONS.map((name, block) => [name, rows[block * k]]));
}

/** What the models of a run (or a chunk of it) start from, on the host. */
export interface StartingParameters {
  /** Each model's reference init: the untrained model, and the teacher's start. */
  reference: HostParameters[];
  /** The students [student_aux | student_all | cross_aux | cross_all], one block of models each. */
  students: HostParameters[];
  /** For each model, whose reference init its cross students start from. */
  cross: number[];
}

/** Every model starts as an exact copy of a reference init, drawn from the model's own stream. */
export function startingParameters(config: ExperimentConfig, models: readonly number[] = range(config.models)): StartingParameters {
  const sizes = layerSizes(config.hidden, config.auxLogits);
  const pairs = crossSources(config.models, config.seed);
  const init = (model: number) => initialParameters(sizes, config.seed, model);
  const reference = models.map(init);
  const cross = models.map((model) => pairs[model]);
  const crossInits = cross.map(init);
  return { reference, students: [...reference, ...reference, ...crossInits, ...crossInits], cross };
}
