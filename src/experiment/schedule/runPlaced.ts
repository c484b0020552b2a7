/**
 * A placed run as the events of one run: its parts in the pool when there are several, else its
 * chunks one after another on this thread. The result names the backend and, for parallel parts,
 * how many workers shared the models.
 */
import type { MnistData } from '../../data/mnist';
import type { ExperimentConfig } from '../config';
import type { RunEvent } from '../events';
import type { RunOptions } from '../run';
import { runInChunks } from './chunkedRun';
import type { Placement } from './placement';
import { runParts, type StartPart } from './pool';

export interface PlacedRunOptions extends RunOptions {
  /** The backend's name for the result ("wasm", "webgpu · NVIDIA …"). */
  backendLabel: string;
  /** Starts a worker for a parallel part: needed when the placement has more than one part. */
  startPart?: StartPart;
  /** What a parallel worker is called on this host, for the result's backend ("thread", "worker"). */
  workerWord?: string;
}

export async function* runPlaced(
  config: ExperimentConfig,
  data: MnistData,
  placement: Placement,
  options: PlacedRunOptions,
): AsyncGenerator<RunEvent, void, void> {
  const workers = placement.parts.length;
  const { startPart, workerWord = 'worker', ...runOptions } = options;
  if (workers > 1 && !startPart) throw new Error('a placement with parallel parts needs a way to start workers');
  const events =
    workers > 1
      ? runParts(config, placement.parts, startPart!, options.signal, options.pause)
      : runInChunks(config, data, placement.parts[0], runOptions);
  const backend = workers > 1 ? `${options.backendLabel} × ${workers} ${workerWord}s` : options.backendLabel;
  for await (const event of events)
    yield event.type === 'finished' ? { ...event, result: { ...event.result, backend } } : event;
}
