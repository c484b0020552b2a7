/** Phase 3: every model, reference to students, tested on the 10,000 MNIST test images. */
import { byStudentCondition } from '../conditions';
import type { Stack } from '../mlp';
import { summarize } from '../stats';
import { CONDITIONS, type ConditionName, type ConditionResult, type RunEvent } from '../results';
import { groupTestAccuracies, testAccuracies, type RunContext } from './context';
import { simdAccuracies } from '../step/simd/simdRun';
import type { Distillation } from './distillPhase';

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
  const test = (stack: Stack) => testAccuracies(run, stack);
  const accuracies = {
    reference: run.trainer ? simdAccuracies(run.trainer, run.start.reference) : await test(run.reference),
    teacher: await groupTestAccuracies(run, run.teacher),
    ...byStudentCondition(await groupTestAccuracies(run, distillation.students), run.k),
  } as Record<ConditionName, number[]>;
  const conditions = Object.fromEntries(
    CONDITIONS.map((name): [ConditionName, ConditionResult] => [
      name,
      { accuracies: accuracies[name], ...summarize(accuracies[name]) },
    ]),
  ) as Record<ConditionName, ConditionResult>;
  return { accuracies, conditions };
}
