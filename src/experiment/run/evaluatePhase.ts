/** Phase 3: every model, reference to students, tested on the 10,000 MNIST test images, and its trait measured. */
import { byStudentCondition } from '../model/conditions';
import { summarize } from '../stats';
import { CONDITIONS, type ConditionName, type ConditionResult, type TraitResult } from '../results';
import { type RunEvent } from '../events';
import type { ModelGroup } from '../step/modelGroup';
import { traitMeasures } from '../trait/measure';
import { traitResult } from '../trait/result';
import type { RunContext } from './context';
import type { Distillation } from './distillPhase';
import { breathe } from './breathe';

export interface Evaluation {
  /** Every model's test accuracy, per condition. */
  accuracies: Record<ConditionName, number[]>;
  /** The same with their mean and spread: the result's `conditions`. */
  conditions: Record<ConditionName, ConditionResult>;
  /** Every model's trait measure, per condition (the accuracies again for 'digits'). */
  trait: TraitResult;
}

/** A group's test accuracies and trait measures (the same numbers for 'digits', measured once). */
interface Measured {
  accuracies: number[];
  trait: number[];
}

export async function* evaluatePhase(
  run: RunContext,
  distillation: Distillation,
): AsyncGenerator<RunEvent, Evaluation, void> {
  yield run.scope.enter('evaluate', 'Testing every model on the 10,000 MNIST test images', 3);
  // Each test of a big model can take many seconds: the worker answers its page in between.
  const reference = await referenceMeasured(run);
  await breathe();
  const teacher = await measure(run, run.teacher);
  await breathe();
  const students = await measure(run, distillation.students);
  const byCondition = (pick: (m: Measured) => number[]) =>
    ({
      reference: pick(reference),
      teacher: pick(teacher),
      ...byStudentCondition(pick(students), run.k),
    }) as Record<ConditionName, number[]>;
  const accuracies = byCondition((m) => m.accuracies);
  const conditions = Object.fromEntries(
    CONDITIONS.map((name): [ConditionName, ConditionResult] => [
      name,
      { accuracies: accuracies[name], ...summarize(accuracies[name]) },
    ]),
  ) as Record<ConditionName, ConditionResult>;
  return {
    accuracies,
    conditions,
    trait: traitResult(
      run.config.trait,
      byCondition((m) => m.trait),
    ),
  };
}

async function measure(run: RunContext, group: ModelGroup): Promise<Measured> {
  const accuracies = await group.accuracies();
  return { accuracies, trait: run.trait ? await traitMeasures(group, run.trait.final) : [...accuracies] };
}

/** The untrained references (the teachers' starts), in a group made for the test and freed after it. */
async function referenceMeasured(run: RunContext): Promise<Measured> {
  const reference = run.groups.make(run.start.reference, false);
  try {
    return await measure(run, reference);
  } finally {
    reference.dispose();
  }
}
