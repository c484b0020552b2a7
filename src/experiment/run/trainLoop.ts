/**
 * The loop both training phases share: epochs of steps, live curve points, progress events at a
 * few per second, and cancellation between steps. What a step does is the phase's business.
 */
import * as tf from '../tf';
import type { CurveSpacing } from '../config';
import type { CurvePoint, TrainingPhase } from '../results';
import type { RunEvent } from '../events';
import { breathe } from './breathe';
import { PASSES, progressEvent, throwIfCancelled, waitIfPaused, type RunClock } from './progress';

export interface PhasePlan {
  phase: TrainingPhase;
  message: string;
  epochs: number;
  samplesPerEpoch: number;
  batchSize: number;
  /** Models in the stack this phase trains. */
  stackSize: number;
  /** Points on the live curve (0 = none). */
  curvePoints: number;
  /** How they spread over the steps (default linear: evenly). */
  curveSpacing?: CurveSpacing;
  beginEpoch(epoch: number): void;
  /** One optimisation step on samples [start, start + size) of the epoch; returns per-model losses. */
  step(start: number, size: number): tf.Tensor1D;
  /** Evaluates a curve point; `loss` is each model's mean loss since the last point (null at step 0). */
  curvePoint(step: number, epoch: number, loss: number[] | null): Promise<CurvePoint>;
}

/**
 * The steps (1-based, after the step) at which a curve point is taken, the last one at the end.
 * linear: evenly spread. log: geometrically from step 1 to the end, each at least one step after
 * the one before, so that the early steps (the critical period, when the trait starts to arrive)
 * get dense points: with 20 points, more than half fall in the first tenth of the steps.
 */
export function curveSchedule(totalSteps: number, points: number, spacing: CurveSpacing = 'linear'): Set<number> {
  const n = Math.min(points, totalSteps);
  const steps = new Set<number>();
  let previous = 0;
  for (let i = 1; i <= n; i++) {
    const target = spacing === 'log' && n > 1 ? totalSteps ** ((i - 1) / (n - 1)) : (i * totalSteps) / n;
    // Log: distinct steps, leaving room for the points still to come.
    const step =
      spacing === 'log'
        ? Math.min(Math.max(previous + 1, Math.round(target)), totalSteps - (n - i))
        : Math.round(target);
    steps.add(step);
    previous = step;
  }
  return steps;
}

export function stepsPerEpoch(samples: number, batchSize: number): number {
  return Math.ceil(samples / batchSize);
}

/** Running per-model loss sum on the device, read only at curve points. */
class LossMeter {
  private sum: tf.Tensor1D;
  private steps = 0;
  constructor(size: number) {
    this.sum = tf.zeros([size]);
  }
  add(losses: tf.Tensor1D): void {
    const next = tf.add(this.sum, losses) as tf.Tensor1D;
    this.sum.dispose();
    this.sum = next;
    this.steps++;
  }
  /** Mean per model since the last take, then resets. */
  async take(): Promise<number[]> {
    const sums = await this.sum.data();
    const mean = Array.from(sums, (s) => s / Math.max(1, this.steps));
    this.sum.dispose();
    this.sum = tf.zeros([mean.length]);
    this.steps = 0;
    return mean;
  }
  /** Waits until every queued step has run (a tiny readback). */
  async sync(): Promise<void> {
    await this.sum.data();
  }
  dispose(): void {
    this.sum.dispose();
  }
}

/** At most this much GPU work (in seconds of steps) waits in the queue, so a cancel is quick. */
export const MAX_QUEUED_SECONDS = 0.2;

/**
 * A GPU backend queues steps and returns at once; left alone, a slow GPU would pile up seconds of
 * work that a cancel must wait out. This tracks how long a step really takes and asks for a
 * wait whenever the queue holds more than MAX_QUEUED_SECONDS of it (always at least one step).
 */
class QueueLimit {
  private queued = 0;
  private secondsPerStep: number | null = null;
  private since = performance.now();

  /** Call after queuing a step; true when the caller should wait for the queue to drain. */
  added(): boolean {
    this.queued++;
    return this.secondsPerStep === null || this.queued * this.secondsPerStep >= MAX_QUEUED_SECONDS;
  }

  /** Call after the queue drained. */
  drained(): void {
    const now = performance.now();
    if (this.queued > 0) this.secondsPerStep = (now - this.since) / 1000 / this.queued;
    this.queued = 0;
    this.since = now;
  }
}

export async function* trainPhase(plan: PhasePlan, clock: RunClock): AsyncGenerator<RunEvent, void, void> {
  const perEpoch = stepsPerEpoch(plan.samplesPerEpoch, plan.batchSize);
  const totalSteps = plan.epochs * perEpoch;
  const curveSteps = curveSchedule(totalSteps, plan.curvePoints, plan.curveSpacing);
  yield { type: 'phase', phase: plan.phase, message: plan.message, totalSteps };

  const meter = new LossMeter(plan.stackSize);
  try {
    if (curveSteps.size > 0) yield { type: 'metrics', phase: plan.phase, point: await plan.curvePoint(0, 0, null) };
    let phaseStart = performance.now();
    let lastProgress = phaseStart;
    // The first step of every phase breathes too: on a fast kernel a whole phase (a sweep's small
    // run) can take under 50 ms, and a cancel must still get through between phases.
    let lastBreath = -Infinity;
    let step = 0;
    const queue = new QueueLimit();
    for (let epoch = 0; epoch < plan.epochs; epoch++) {
      plan.beginEpoch(epoch);
      for (let start = 0; start < plan.samplesPerEpoch; start += plan.batchSize) {
        throwIfCancelled(clock, step);
        if (clock.pause?.paused) phaseStart += await waitIfPaused(clock, step); // no await per step otherwise
        const size = Math.min(plan.batchSize, plan.samplesPerEpoch - start);
        const losses = plan.step(start, size);
        meter.add(losses);
        losses.dispose();
        step++;
        clock.workDone += PASSES[plan.phase] * plan.stackSize * size;

        if (curveSteps.has(step)) {
          const loss = await meter.take();
          yield { type: 'metrics', phase: plan.phase, point: await plan.curvePoint(step, step / perEpoch, loss) };
        }
        if (queue.added()) {
          await meter.sync();
          queue.drained();
        }
        if (performance.now() - lastProgress >= clock.progressIntervalMs || step === totalSteps) {
          await meter.sync(); // on a GPU, steps are queued: wait so the rate is real
          queue.drained();
          lastProgress = performance.now();
          yield progressEvent(clock, { phase: plan.phase, step, totalSteps, phaseStart, now: lastProgress });
        }
        if (performance.now() - lastBreath > 50) {
          await breathe(); // lets a cancel or a UI message through between steps
          lastBreath = performance.now();
        }
      }
    }
  } finally {
    meter.dispose();
  }
}
