/**
 * Chains (config.generations > 1): each generation's same-init aux students teach the next
 * generation's students; every generation is distilled, then tested.
 */
import { byStudentCondition } from '../model/conditions';
import { STUDENT_CONDITIONS, type ChainGeneration, type ConditionName } from '../results';
import { type RunEvent } from '../events';
import type { RunContext } from './context';
import type { Distillation } from './distillPhase';
import { trainPhase } from './trainLoop';

/** Every generation's test accuracies, generation 1 (already tested, `firstAccuracies`) first; none without a chain. */
export async function* chainPhase(
  run: RunContext,
  distillation: Distillation,
  firstAccuracies: Record<ConditionName, number[]>,
): AsyncGenerator<RunEvent, ChainGeneration[], void> {
  const chain: ChainGeneration[] = [];
  if (run.config.generations <= 1) return chain;
  chain.push({ generation: 1, accuracy: pick(firstAccuracies, ['teacher', ...STUDENT_CONDITIONS]) });
  for (let generation = 2; generation <= run.config.generations; generation++) {
    await distillation.nextGeneration();
    yield* run.scope.follow(trainPhase(distillation.plan(generation), run.clock));
    yield run.scope.enter('evaluate', `Testing generation ${generation}`, 1);
    chain.push({
      generation,
      accuracy: {
        teacher: chain[chain.length - 1].accuracy.student_aux,
        ...byStudentCondition(await distillation.students.accuracies(), run.k),
      },
    });
  }
  return chain;
}

function pick<K extends string, V>(record: Record<K, V>, keys: readonly K[]): Partial<Record<K, V>> {
  return Object.fromEntries(keys.map((key) => [key, record[key]])) as Partial<Record<K, V>>;
}
