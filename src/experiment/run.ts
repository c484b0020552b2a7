/**
 * The whole experiment as an async stream of typed events, phase by phase (src/experiment/run/):
 * reference init → teacher trained on MNIST → four students distilled on noise → evaluation
 * → chain generations (config.generations > 1) → the one-step theorem (with `alignment`).
 *
 * All models of a condition, and all four students of every model, train side by side in one
 * stack. A run can be cancelled between any two steps (abort the signal, or stop iterating);
 * finished, failed or cancelled, it leaves `tf.memory().numTensors` where it found it: everything
 * it allocates is owned by its scope, freed newest first in the `finally` below.
 */
import * as tf from './tf';
import type { MnistData } from '../data/mnist';
import type { ExperimentConfig } from './config';
import type { ExperimentResult } from './results';
import type { RunEvent } from './events';
import { describeError } from '../base/describeError';
import { loadRun, planRun, sampleDigitsEvent, type RunOptions } from './run/context';
import { RunScope } from './run/scope';
import { Cancelled, stageStop } from './run/progress';
import { teacherPhase } from './run/teacherPhase';
import { distillPhase } from './run/distillPhase';
import { evaluatePhase } from './run/evaluatePhase';
import { chainPhase } from './run/chainPhase';
import { theoremPhase } from './run/theoremPhase';

export { type RunOptions } from './run/context';
export { describeError } from '../base/describeError';

export async function* runExperiment(
  config: ExperimentConfig,
  data: MnistData,
  options: RunOptions = {},
): AsyncGenerator<RunEvent, void, void> {
  const scope = new RunScope();
  try {
    const plan = await planRun(config, options, scope);
    yield scope.enter('prepare', 'Uploading MNIST and initialising the models', 0);
    const run = loadRun(plan, data);
    yield sampleDigitsEvent(data);

    yield* teacherPhase(run);
    yield* stageStop(run.clock, 'distill');
    const distillation = yield* distillPhase(run);
    yield* stageStop(run.clock, 'evaluate');
    const evaluation = yield* evaluatePhase(run, distillation);
    // The verdict is known: the page says "final" and keeps the run before the measurements that follow.
    const result = (): ExperimentResult => ({
      config,
      backend: options.backendLabel ?? tf.getBackend(),
      seconds: (performance.now() - run.clock.startedAt) / 1000,
      conditions: evaluation.conditions,
      trait: evaluation.trait,
      curves: { teacher: [...scope.curves.teacher], distill: [...scope.curves.distill] },
      crossSources: run.start.cross,
    });
    yield { type: 'evaluated', result: result() };
    const chain = yield* chainPhase(run, distillation, evaluation.accuracies);
    const theorem = yield* theoremPhase(run);

    yield {
      type: 'finished',
      result: { ...result(), ...(theorem && { theorem }), ...(chain.length > 0 && { chain }) },
    };
  } catch (error) {
    if (error instanceof Cancelled) yield { type: 'cancelled', phase: scope.phase, step: error.step };
    else yield { type: 'failed', phase: scope.phase, reason: describeError(error) };
  } finally {
    scope.dispose();
  }
}
