/**
 * Phase 4 (runs measured with `alignment`, in the run or chunk that holds model 0): the paper's
 * theorem as an experiment, model by model: one teacher step, then one student step, from the
 * same start and from another (see ../why/theorem.ts).
 */
import type { TheoremResult } from '../results';
import type { RunEvent } from '../events';
import { combineTheorem, theoremForModel, theoremWork, type ModelOutcome } from '../why/theorem';
import type { RunContext } from './context';
import { progressEvent, throwIfCancelled } from './progress';

/** The one-step result; undefined when this run does not measure it. */
export async function* theoremPhase(run: RunContext): AsyncGenerator<RunEvent, TheoremResult | undefined, void> {
  const { theorem, clock } = run;
  if (!theorem) return undefined;
  const totalSteps = theorem.models;
  yield run.scope.enter(
    'theorem',
    'Why it happens: one teacher step, then one student step, from the same start and from another',
    totalSteps,
  );
  const perModel: ModelOutcome[] = [];
  const phaseStart = performance.now();
  for (let model = 0; model < totalSteps; model++) {
    throwIfCancelled(clock, model);
    perModel.push(await theoremForModel(run.config, run.device, run.distillInputs, run.path.kernels, model, theorem));
    clock.workDone += theoremWork(theorem) / theorem.models;
    yield progressEvent(clock, { phase: 'theorem', step: model + 1, totalSteps, phaseStart, now: performance.now() });
  }
  const result = combineTheorem(theorem, perModel);
  yield { type: 'theorem', result };
  return result;
}
