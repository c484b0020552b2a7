/**
 * A run split into chunks of models: one after another on a device that cannot hold them all
 * (here), or side by side in parallel workers on a multi-core CPU (pool.ts). The page and the command line see one
 * run: progress covers the whole, live curves follow the first chunk (model 0 among them), as do
 * model 0's weights, and the final result merges every chunk's (identical to an unchunked run's numbers).
 */
import type { ExperimentConfig } from '../config';
import type { MnistData } from '../../data/mnist';
import { mergePoints, mergeResults } from './chunks';
import { type CurvePoint, type ExperimentResult } from '../results';
import { PHASE_ORDER, type Phase, type RunEvent } from '../events';
import { runExperiment, type RunOptions } from '../run';

type Progress = Extract<RunEvent, { type: 'progress' }>;

/**
 * Turns the events of several chunk runs into the events of one run, so the page tells one story:
 * - chunks side by side (`together`, parallel workers): the run is where its slowest chunk is, so
 *   phases and progress only move forward; a curve point is passed on once every chunk has
 *   measured it, merged over all their models; a stage stop once every chunk has stopped there;
 * - chunks one after another: each chunk's events are labelled with its group, and the live curves
 *   follow the first chunk (the final result merges every chunk's).
 * Either way 'evaluated' comes once, merged, when every chunk has tested its models.
 */
export class ChunkEvents {
  private readonly fractions: number[];
  private readonly progress: (Progress | null)[];
  private readonly phases: number[];
  private readonly results: (ExperimentResult | null)[];
  private readonly evaluated: (ExperimentResult | null)[];
  /** Curve points waiting for the other chunks, by phase and step. */
  private readonly pending = new Map<string, CurvePoint[]>();
  private readonly stopped = new Map<Phase, Set<number>>();
  /** What each phase was announced with (its message, steps), by phase index. */
  private readonly announced = new Map<number, Extract<RunEvent, { type: 'phase' }>>();
  private shownPhase = -1;
  private shownFraction = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly config: ExperimentConfig,
    private readonly chunks: readonly (readonly number[])[],
    private readonly together = false,
  ) {
    this.fractions = chunks.map(() => 0);
    this.progress = chunks.map(() => null);
    this.phases = chunks.map(() => 0);
    this.results = chunks.map(() => null);
    this.evaluated = chunks.map(() => null);
  }

  private label(chunk: number): string {
    const models = this.chunks[chunk];
    return ` (models ${models[0] + 1}–${models[models.length - 1] + 1} of ${this.config.models})`;
  }

  private group(chunk: number) {
    return { index: chunk, count: this.chunks.length };
  }

  private fraction(): number {
    // Out of the chunks' models, not config.models: a shard's chunks hold only some of the run's.
    const total = this.chunks.reduce((sum, models) => sum + models.length, 0);
    const done = this.chunks.reduce((sum, models, i) => sum + this.fractions[i] * models.length, 0);
    this.shownFraction = Math.max(this.shownFraction, done / total);
    return this.shownFraction;
  }

  /** Side by side: the phase of the slowest chunk, announced once when it moves on. */
  private phaseTogether(): RunEvent | null {
    const slowest = Math.min(...this.phases);
    if (slowest <= this.shownPhase || !this.announced.has(slowest)) return null;
    this.shownPhase = slowest;
    return this.announced.get(slowest)!;
  }

  /** Side by side: the slowest chunk's step in the shown phase; time left is the longest chunk's. */
  private progressTogether(event: Progress): Progress {
    const phase = PHASE_ORDER[Math.max(0, this.shownPhase)];
    const slowest = this.progress
      .filter((p): p is Progress => p !== null && p.phase === phase)
      .reduce<Progress | null>((a, b) => (a === null || b.step < a.step ? b : a), null);
    const lefts = this.progress.map((p, i) => (this.fractions[i] >= 1 ? 0 : (p?.secondsLeft ?? null)));
    return {
      ...(slowest ?? event),
      phase,
      fraction: this.fraction(),
      secondsLeft: lefts.some((left) => left === null) ? null : Math.max(...(lefts as number[])),
    };
  }

  /** Side by side: a curve point once every chunk has it, over all their models. */
  private metricsTogether(chunk: number, event: Extract<RunEvent, { type: 'metrics' }>): RunEvent | null {
    const key = `${event.phase}:${event.point.step}`;
    const points = this.pending.get(key) ?? [];
    points[chunk] = event.point;
    if (points.filter(Boolean).length < this.chunks.length) {
      this.pending.set(key, points);
      return null;
    }
    this.pending.delete(key);
    return { ...event, point: points.slice(1).reduce(mergePoints, points[0]) };
  }

  /** The event to pass on for event `event` of chunk `chunk`, or null to hold it back. */
  translate(chunk: number, event: RunEvent): RunEvent | null {
    switch (event.type) {
      case 'phase': {
        const index = PHASE_ORDER.indexOf(event.phase);
        this.phases[chunk] = index;
        if (!this.together) return { ...event, message: event.message + this.label(chunk), group: this.group(chunk) };
        if (!this.announced.has(index)) this.announced.set(index, event);
        return this.phaseTogether();
      }
      case 'progress': {
        this.fractions[chunk] = event.fraction;
        this.progress[chunk] = event;
        if (this.together) return this.progressTogether(event);
        const fraction = this.fraction();
        const elapsed = (performance.now() - this.startedAt) / 1000;
        return {
          ...event,
          group: this.group(chunk),
          fraction,
          secondsLeft: fraction > 0 ? (elapsed * (1 - fraction)) / fraction : null,
        };
      }
      case 'metrics':
        if (this.together) return this.metricsTogether(chunk, event);
        return chunk === 0 ? event : null;
      case 'digits':
      case 'noise':
      case 'theorem':
        return chunk === 0 ? event : null;
      case 'weights':
        return event; // only the chunk holding model 0 sends them
      case 'paused': {
        if (!this.together || !event.atStage) return event;
        const stopped = this.stopped.get(event.phase) ?? new Set<number>();
        this.stopped.set(event.phase, stopped.add(chunk));
        return stopped.size === this.chunks.length ? event : null;
      }
      case 'evaluated':
        this.evaluated[chunk] = event.result;
        if (this.evaluated.some((result) => result === null)) return null;
        return { type: 'evaluated', result: this.merge(this.evaluated as ExperimentResult[]) };
      case 'finished':
        this.fractions[chunk] = 1;
        this.results[chunk] = event.result;
        return null;
      default:
        return event;
    }
  }

  private merge(results: readonly ExperimentResult[]): ExperimentResult {
    return mergeResults(this.config, results, (performance.now() - this.startedAt) / 1000);
  }

  /** The merged result once every chunk has finished, else null. */
  merged(): ExperimentResult | null {
    if (this.results.some((result) => result === null)) return null;
    return this.merge(this.results as ExperimentResult[]);
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
