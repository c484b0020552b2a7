/**
 * The six conditions a run compares, and the stacks they start from: a teacher and four students
 * per model, every one an exact copy of some reference initialisation.
 */
import type { ExperimentConfig } from './config';
import { initialParameters, layerSizes, Stack } from './mlp';
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

export interface InitialStacks {
  /** The untrained models, [k]. */
  reference: Stack;
  /** Trainable exact copies of the reference, [k]. */
  teacher: Stack;
  /** Trainable students [student_aux | student_all | cross_aux | cross_all], k each. */
  students: Stack;
  /** For model i, whose reference init its cross students start from. */
  cross: number[];
  dispose(): void;
}

/** Every stack a run starts from: all are exact copies of reference initialisations. */
export function initialStacks(config: ExperimentConfig): InitialStacks {
  const k = config.models;
  const sizes = layerSizes(config.hidden, config.auxLogits);
  const cross = crossSources(k, config.seed);
  // A single model's cross partner is an extra init beyond the k trained ones.
  const poolSize = Math.max(k, ...cross.map((source) => source + 1));
  const pool = Stack.fromHost(sizes, range(poolSize).map((i) => initialParameters(sizes, config.seed, i)), false);
  const reference = poolSize === k ? pool : pool.gather(range(k), false);
  const teacher = pool.gather(range(k), true);
  const students = pool.gather([...range(k), ...range(k), ...cross, ...cross], true);
  return {
    reference,
    teacher,
    students,
    cross,
    dispose: () => [pool, reference, teacher, students].forEach((stack) => stack.dispose()),
  };
}

