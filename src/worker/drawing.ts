/**
 * Reading the page's drawn digits: model 0's latest weights of the latest run that sent any. They
 * stay after the run ends (and while the next one prepares) and are replaced as a whole by the
 * next run's first weights, so the three guesses never mix two runs. The big arrays stay here
 * while a run trains: the page hears only which models are ready, and gets the arrays once, at
 * the end (handOver), to keep with the saved run.
 */
import { INPUT_SIZE } from '../experiment/config';
import type { RunEvent } from '../experiment/events';
import { guess } from '../experiment/reference/forward';
import { DRAW_MODELS } from '../experiment/results';
import type { DrawWeights, FromWorker, Guesses } from './protocol';

export class Drawing {
  private held: { runId: number; models: DrawWeights; handedOver?: boolean } | null = null;

  constructor(private readonly post: (message: FromWorker) => void) {}

  private announce(runId: number) {
    const held = this.held?.models ?? {};
    this.post({ type: 'models-ready', runId, models: DRAW_MODELS.filter((name) => held[name]) });
  }

  /** A run's 'weights' event: kept (a new run's replace the last run's), announced, not passed on. */
  keep(runId: number, weights: DrawWeights): void {
    if (this.held?.runId !== runId) this.held = { runId, models: {} };
    Object.assign(this.held.models, weights);
    this.held.handedOver = false; // a sweep's next value: its own final weights go too
    this.announce(runId);
  }

  /**
   * Training is over once a run (or a sweep's value) is evaluated or finished: just before the
   * first of those, its last weights go to the page once, to keep with the saved run.
   */
  handOver(runId: number, event: RunEvent): void {
    if (event.type !== 'evaluated' && event.type !== 'finished') return;
    if (this.held?.runId !== runId || this.held.handedOver) return;
    this.held.handedOver = true;
    this.post({ type: 'final-weights', runId, weights: this.held.models });
  }

  /**
   * A saved run shown again (the page shows one only while no run trains): its kept weights read
   * drawings from now on; a record that kept none leaves nothing to read with, and the page says so.
   */
  show(runId: number, weights: DrawWeights | null): void {
    this.held = weights ? { runId, models: { ...weights } } : null;
    this.announce(runId);
  }

  /** A plain forward pass per model on the host (well under a millisecond each), between two training steps. */
  classify(requestId: number, pixels: number[]): void {
    const guesses: Guesses = {};
    const held = this.held;
    if (held && Array.isArray(pixels) && pixels.length === INPUT_SIZE) {
      for (const name of DRAW_MODELS) {
        const model = held.models[name];
        if (model) guesses[name] = guess(model, pixels);
      }
    }
    this.post({ type: 'guesses', requestId, guesses });
  }
}
