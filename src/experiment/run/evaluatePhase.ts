/** Phase 3: every model, reference to students, tested on the 10,000 MNIST test images. */
import { byStudentCondition } from '../model/conditions';
import { summarize } from '../stats';
import { CONDITIONS, type ConditionName, type ConditionResult } from '../results';
import { type RunEvent } from '../events';
import type { RunContext } from './context';
import type { Distillation } from './distillPhase';
import { breathe } from './breathe';

export interface Evaluation {
  /** Every model's test accuracy, per condition. */
  accuracies: Record<ConditionName, number[]>;
  /** The same with their mean and spread: the result's `conditions`. */
  conditions: Record<ConditionName, ConditionResult>;
}

export async function* evaluatePhase(
  run: RunContext,
  distillation: Distillation,
): AsyncGenerator<RunEvent, Evaluation, void> {
  yield run.scope.enter('evaluate', 'Testing every model on the 10,000 MNIST test images', 3);
  // Each test of a big model can take many seconds: the worker answers its page in between.
  const reference = await referenceAccuracies(run);
  await breathe();
  const teacher = await run.teacher.accuracies();
  await breathe();
  const students = byStudentCondition(await distillation.students.accuracies(), run.k);
  const accuracies = { reference, teacher, ...students } as Record<ConditionName, number[]>;
  const conditions = Object.fromEntries(
    CONDITIONS.map((name): [ConditionName, ConditionResult] => [
      name,
      { accuracies: accuracies[name], ...summarize(accuracies[name]) },
    ]),
  ) as Record<ConditionName, ConditionResult>;
  return { accuracies, conditions };
}

/** The untrained references (the teachers' starts), in a group made for the test and freed after it. */
async function referenceAccuracies(run: RunContext): Promise<number[]> {
  const reference = run.groups.make(run.start.reference, false);
  try {
    return await reference.accuracies();
  } finally {
    reference.dispose();
  }
}
