/**
 * The one pool: parts of a run trained side by side in workers, their events merged into those of
 * one run. How a worker is started is the host's business (adapters: Node worker threads in
 * src/cli/threadParts.ts, the page's helper Web Workers in src/worker/helperParts.ts); the pool
 * only hands each its chunks, listens, cancels and stops them.
 */
import type { ExperimentConfig } from '../config';
import { isRunEnd, type RunEvent } from '../events';
import { ChunkEvents } from './chunkedRun';
import { MessageQueue } from './messageQueue';
import type { PauseGate, Stage } from '../run/pause';

/** An event of part `part` of a run, or why that part broke down. */
export type PartMessage = { part: number; event: RunEvent } | { part: number; error: string };

/** A started part, as the pool controls it. */
export interface PartHandle {
  /** Asks the part to stop before its next step (it answers with 'cancelled'). */
  cancel(): void;
  /** Ends the worker for good. */
  stop(): void | Promise<void>;
  /** Holds the part between two steps, and lets it go on (hosts without a pause leave them out). */
  pause?(): void;
  resume?(): void;
}

/** What every part of a run is told besides its chunks: the stages to stop in front of. */
export interface PartOptions {
  stopAt: readonly Stage[];
}

/**
 * Starts part `part` on its chunks (global model indices, trained one chunk after another).
 * It reports every event, or an error, through `report`; a worker that goes away without a
 * result reports an error.
 */
export type StartPart = (
  part: number,
  chunks: number[][],
  report: (message: PartMessage) => void,
  options: PartOptions,
) => PartHandle;

const isEnd = (message: PartMessage) => 'error' in message || isRunEnd(message.event);

/**
 * Runs `parts[i]` in worker i; yields the events of one run, and stops every worker when done.
 * A pause of `pause` holds every worker; its stages stop each part, and the run once all have stopped.
 */
export async function* runParts(
  config: ExperimentConfig,
  parts: readonly number[][][],
  startPart: StartPart,
  signal?: AbortSignal,
  pause?: PauseGate,
): AsyncGenerator<RunEvent, void, void> {
  const queue = new MessageQueue<PartMessage>();
  const ended = new Set<number>();
  const report = (message: PartMessage) => {
    if (ended.has(message.part)) return;
    queue.push(message);
    if (isEnd(message)) ended.add(message.part);
    if (ended.size === parts.length) queue.close();
  };
  const workers: PartHandle[] = [];
  const cancel = () => workers.forEach((worker) => worker.cancel());
  signal?.addEventListener('abort', cancel, { once: true });
  const unhear = pause?.onChange((paused) =>
    workers.forEach((worker) => (paused ? worker.pause?.() : worker.resume?.())),
  );
  const stopAt = pause?.stages() ?? [];
  try {
    parts.forEach((chunks, part) => workers.push(startPart(part, chunks, report, { stopAt })));
    if (signal?.aborted) cancel();
    const events = mergeParts(
      config,
      parts.map((chunks) => chunks.flat()),
      queue,
    );
    for await (const event of events) {
      // Every part stopped at a stage: the run is paused, and a resume must reach them all.
      if (event.type === 'paused') pause?.pause();
      yield event;
    }
  } finally {
    unhear?.();
    signal?.removeEventListener('abort', cancel);
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

/**
 * The events of one run from parts that run side by side (each part a list of models): stops at
 * the first part that fails or is cancelled, else ends with the merged result once `messages` ends.
 */
export async function* mergeParts(
  config: ExperimentConfig,
  parts: readonly (readonly number[])[],
  messages: AsyncIterable<PartMessage>,
): AsyncGenerator<RunEvent, void, void> {
  const events = new ChunkEvents(config, parts, true);
  for await (const message of messages) {
    const event: RunEvent =
      'error' in message ? { type: 'failed', phase: 'prepare', reason: message.error } : message.event;
    if (event.type === 'failed' || event.type === 'cancelled') {
      yield event;
      return;
    }
    const out = events.translate(message.part, event);
    if (out) yield out;
  }
  const result = events.merged();
  yield result
    ? { type: 'finished', result }
    : { type: 'failed', phase: 'evaluate', reason: 'a worker stopped without a result' };
}
