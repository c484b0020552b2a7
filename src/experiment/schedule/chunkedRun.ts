/**
 * A run split into chunks of models: one after another on a device that cannot hold them all
 * (here), or side by side in parallel workers on a multi-core CPU (pool.ts). The page and the command line see one
 * run: progress covers the whole, live curves follow the first chunk (model 0 among them), as do
 * model 0's weights, and the final result merges every chunk's (identical to an unchunked run's numbers).
 */
import type { ExperimentConfig } from '../config';
import type { MnistData } from '../../data/mnist';
import { mergeResults } from './chunks';
import type { ExperimentResult, RunEvent } from '../results';
import { runExperiment, type RunOptions } from '../run';

/** Turns the events of several chunk runs into the events of one run. */
export class ChunkEvents {
  private readonly fractions: number[];
  private readonly results: (ExperimentResult | null)[];
  private readonly startedAt = performance.now();

  constructor(
    private readonly config: ExperimentConfig,
    private readonly chunks: readonly (readonly number[])[],
  ) {
    this.fractions = chunks.map(() => 0);
    this.results = chunks.map(() => null);
  }

  private label(chunk: number): string {
    const models = this.chunks[chunk];
    return ` (models ${models[0] + 1}–${models[models.length - 1] + 1} of ${this.config.models})`;
  }

  /** The event to pass on for event `event` of chunk `chunk`, or null to hold it back. */
  translate(chunk: number, event: RunEvent): RunEvent | null {
    switch (event.type) {
      case 'phase':
        return { ...event, message: event.message + this.label(chunk) };
      case 'progress': {
        this.fractions[chunk] = event.fraction;
        const fraction =
          this.chunks.reduce((sum, models, i) => sum + this.fractions[i] * models.length, 0) / this.config.models;
        const elapsed = (performance.now() - this.startedAt) / 1000;
        return { ...event, fraction, secondsLeft: fraction > 0 ? (elapsed * (1 - fraction)) / fraction : null };
      }
      case 'metrics':
      case 'digits':
      case 'noise':
      case 'theorem':
        return chunk === 0 ? event : null;
      case 'weights':
        return event; // only the chunk holding model 0 sends them
      case 'finished':
        this.fractions[chunk] = 1;
        this.results[chunk] = event.result;
        return null;
      default:
        return event;
    }
  }

  /** The merged result once every chunk has finished, else null. */
  merged(): ExperimentResult | null {
    if (this.results.some((result) => result === null)) return null;
    return mergeResults(this.config, this.results as ExperimentResult[], (performance.now() - this.startedAt) / 1000);
  }
}

/** Runs the chunks one after another; a single chunk is simply the run. */
export async function* runInChunks(
  config: ExperimentConfig,
  data: MnistData,
  chunks: readonly (readonly number[])[],
  options: RunOptions = {},
): AsyncGenerator<RunEvent, void, void> {
  if (chunks.length <= 1) {
    yield* runExperiment(config, data, { ...options, models: chunks[0] });
    return;
  }
  const events = new ChunkEvents(config, chunks);
  for (const [index, models] of chunks.entries()) {
    for await (const event of runExperiment(config, data, { ...options, models })) {
      const out = events.translate(index, event);
      if (out) yield out;
      if (event.type === 'failed' || event.type === 'cancelled') return;
    }
  }
  yield { type: 'finished', result: events.merged()! };
}
