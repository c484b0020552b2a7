/**
 * Paces the engine's frequent messages (progress, curve points, weights for drawing) to one render per
 * interval at most; every other message is delivered at once, after those queued before it, so
 * the order never changes. On a machine without a GPU the page's renders and its software
 * compositing share the CPU with training.
 */
import type { FromWorker } from './protocol';

/**
 * Two renders a second: the progress line still moves, and on a 2-core machine without a GPU the
 * default run ends about a second sooner than at four (11.4 s against 12.7 s, three runs each).
 */
export const RENDER_INTERVAL_MS = 500;

const FREQUENT = new Set(['progress', 'metrics', 'weights']);

/** A message that only updates what a run shows so far, so it may wait for the next render. */
export function isFrequent(message: FromWorker): boolean {
  if (message.type === 'models-ready') return true; // the drawing pad's latest weights, at every curve point
  if (message.type === 'run') return FREQUENT.has(message.event.type);
  return message.type === 'sweep' && message.event.type === 'sweep-run' && FREQUENT.has(message.event.event.type);
}

export interface MessagePacer<T> {
  push(message: T): void;
  /** Drops what is queued and any pending delivery; the pacer takes messages again afterwards. */
  dispose(): void;
}

/** Hands `deliver` the messages in order, in batches: a frequent one waits until `intervalMs` after the last batch. */
export function paceMessages<T>(
  deliver: (messages: T[]) => void,
  frequent: (message: T) => boolean,
  intervalMs = RENDER_INTERVAL_MS,
): MessagePacer<T> {
  let queue: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastDelivery = -Infinity;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastDelivery = performance.now();
    const batch = queue;
    queue = [];
    if (batch.length > 0) deliver(batch);
  };
  return {
    push(message) {
      queue.push(message);
      const wait = lastDelivery + intervalMs - performance.now();
      if (!frequent(message) || wait <= 0) flush();
      else timer ??= setTimeout(flush, wait);
    },
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      queue = [];
    },
  };
}
