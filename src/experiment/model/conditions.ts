/**
 * The six conditions a run compares, and what they start from: a teacher and four students per
 * model, every one an exact copy of some reference initialisation.
 */
import { range } from '../../base/range';
import type { ExperimentConfig } from '../config';
import { initialParameters, layerSizes, type HostParameters } from './mlp';
import { Random } from './random';
import { STUDENT_CONDITIONS, type ConditionName } from '../results';

/**
 * For model i, the model whose reference init its cross students start from: a derangement
 * (never its own). A single model is paired with an extra init that no model trains from.
 */
export function crossSources(models: number, seed: number): number[] {
  if (models === 1) return [1];
  return Array.from(Random.stream(seed, 'cross').derangement(models));
}

/** What a student imitates: the teacher's auxiliary logits only, or all 10 + m logits. */
export type DistillTarget = 'aux' | 'all';

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

/**
 * Every model starts as a copy of a reference init, drawn from the model's own stream. The
 * same-init students are exact copies of their teacher's, unless the config re-initialises some
 * layers (`freshLayers`, from a stream of their own) or perturbs the start (`studentInitNoise`).
 */
export function startingParameters(
  config: ExperimentConfig,
  models: readonly number[] = range(config.models),
): StartingParameters {
  const sizes = layerSizes(config.hidden, config.auxLogits);
  const pairs = crossSources(config.models, config.seed);
  const init = (model: number) => initialParameters(sizes, config.seed, model);
  const reference = models.map(init);
  const cross = models.map((model) => pairs[model]);
  const crossInits = cross.map(init);
  const sameInit = (block: number) =>
    models.map((model, i) => sameInitStart(config, sizes, reference[i], model, block));
  return { reference, students: [...sameInit(0), ...sameInit(1), ...crossInits, ...crossInits], cross };
}

/** A same-init student's start: the reference, with fresh layers swapped in and noise added, as configured. */
function sameInitStart(
  config: ExperimentConfig,
  sizes: readonly number[],
  reference: HostParameters,
  model: number,
  block: number,
): HostParameters {
  if (config.freshLayers.length === 0 && config.studentInitNoise === 0) return reference;
  const fresh = config.freshLayers.length > 0 ? initialParameters(sizes, config.seed, model, 'fresh-init') : null;
  const pick = (layer: number) => (fresh && config.freshLayers.includes(layer + 1) ? fresh : reference);
  const weights = reference.weights.map((_, layer) => Float32Array.from(pick(layer).weights[layer]));
  const biases = reference.biases.map((_, layer) => Float32Array.from(pick(layer).biases[layer]));
  if (config.studentInitNoise > 0) {
    // Each student its own perturbation, indexed like its shuffles (model × 4 + condition block).
    const random = Random.stream(config.seed, 'start-noise', model * STUDENT_CONDITIONS.length + block);
    const noise = (values: Float32Array) => {
      const draw = new Float32Array(values.length);
      random.fillGaussian(draw, 0, config.studentInitNoise);
      values.forEach((v, i) => (values[i] = v + draw[i]));
    };
    weights.forEach(noise);
    biases.forEach(noise);
  }
  return { weights, biases };
}
