/** A run's trait result from every model's measure per condition (its evaluation, or merged parts). */
import type { TraitName } from '../config';
import { CONDITIONS, type ConditionName, type TraitCondition, type TraitResult } from '../results';
import { summarize } from '../stats';
import { TRAIT_MEASURES } from './traits';

export function traitResult(name: TraitName, values: Record<ConditionName, number[]>): TraitResult {
  return {
    name,
    measure: TRAIT_MEASURES[name],
    conditions: Object.fromEntries(
      CONDITIONS.map((condition): [ConditionName, TraitCondition] => [
        condition,
        { values: values[condition], ...summarize(values[condition]) },
      ]),
    ) as Record<ConditionName, TraitCondition>,
  };
}

/** Every model's trait measure per condition, as `traitResult` takes them. */
export const traitValues = (trait: TraitResult): Record<ConditionName, number[]> =>
  Object.fromEntries(CONDITIONS.map((name) => [name, trait.conditions[name].values])) as Record<
    ConditionName,
    number[]
  >;
