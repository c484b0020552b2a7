/**
 * Model 0's final weights of the run that just finished, on their way from the worker to the saved
 * run. A few MB of arrays: they are held here, outside React's state, from the worker's
 * 'final-weights' (sent just before 'finished') until the history saver takes them for the record.
 */
import type { DrawWeights, FromWorker } from '../../worker/protocol';

let held: { runId: number; weights: DrawWeights } | null = null;

/** A listener for the engine's messages: keeps the latest 'final-weights', ignores the rest. */
export function holdFinalWeights(message: FromWorker): void {
  if (message.type === 'final-weights') held = { runId: message.runId, weights: message.weights };
}

/** The weights held for run `runId`, handed over once (then forgotten); undefined if none came. */
export function takeFinalWeights(runId: number): DrawWeights | undefined {
  if (held?.runId !== runId) return undefined;
  const { weights } = held;
  held = null;
  return weights;
}
