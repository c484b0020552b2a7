/** A fake engine connection and made-up engine output for the UI tests. */
import { act } from '@testing-library/react';
import { preset, type ExperimentConfig } from '../../../src/experiment/config';
import {
  CONDITIONS,
  type AlignmentPoint,
  type ConditionName,
  type CurvePoint,
  type ExperimentResult,
  type TheoremResult,
} from '../../../src/experiment/results';
import { type RunEvent } from '../../../src/experiment/events';
import { summarize } from '../../../src/experiment/stats';
import type { SweepPoint, SweepResult } from '../../../src/experiment/sweep/sweep';
import type { SweepEvent } from '../../../src/experiment/sweep/sweepRun';
import type { EngineConnection } from '../../../src/worker/client';
import type { FromWorker, ToWorker } from '../../../src/worker/protocol';

/** Records what the page sends; `emit` plays a worker message to the page. */
export class FakeConnection implements EngineConnection {
  sent: ToWorker[] = [];
  restarts = 0;
  private listeners = new Set<(message: FromWorker) => void>();
  /** The points played so far of each sweep, by run id. */
  private sweepPoints = new Map<number, SweepPoint[]>();

  send(message: ToWorker): void {
    this.sent.push(message);
  }
  onMessage(listener: (message: FromWorker) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  restart(): void {
    this.restarts++;
  }
  dispose(): void {
    this.listeners.clear();
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  emit(message: FromWorker): void {
    act(() => this.listeners.forEach((listener) => listener(message)));
  }
  /** Plays a run event for the newest run the page started. */
  emitRun(event: RunEvent): void {
    this.emit({ type: 'run', runId: this.lastStart().runId, event });
  }
  lastStart(): Extract<ToWorker, { type: 'start' }> {
    const start = this.sent.filter((m): m is Extract<ToWorker, { type: 'start' }> => m.type === 'start').at(-1);
    if (!start) throw new Error('the page sent no start message');
    return start;
  }
  /** The newest sweep the page asked the engine to run. */
  lastSweep(): Extract<ToWorker, { type: 'sweep' }> {
    const sweep = this.sent.filter((m): m is Extract<ToWorker, { type: 'sweep' }> => m.type === 'sweep').at(-1);
    if (!sweep) throw new Error('the page sent no sweep message');
    return sweep;
  }
  /** Plays an event of the newest sweep. */
  emitSweep(event: SweepEvent): void {
    this.emit({ type: 'sweep', runId: this.lastSweep().runId, event });
  }
  /** Plays an event of the run at value `index` of the newest sweep. */
  emitSweepRun(index: number, event: RunEvent): void {
    this.emitSweep({ type: 'sweep-run', index, value: this.valueAt(index), event });
  }
  /**
   * Plays the whole run at value `index` of the newest sweep, as the engine sends it: its phase,
   * progress, a curve point and 'finished' with `result`, then the value's point.
   */
  emitSweepValue(index: number, result: ExperimentResult): void {
    this.emitSweepRun(index, { type: 'phase', phase: 'teacher', message: 'The teacher learns', totalSteps: 10 });
    this.emitSweepRun(index, {
      type: 'progress',
      phase: 'teacher',
      step: 5,
      totalSteps: 10,
      stepsPerSecond: 5,
      fraction: 0.5,
      secondsLeft: 1,
    });
    this.emitSweepRun(index, { type: 'metrics', phase: 'teacher', point: point(5, 0.5, { teacher: [0.5] }) });
    this.emitSweepRun(index, { type: 'finished', result });
    const sweepPoint = { value: this.valueAt(index), result };
    this.sweepPoints.set(this.lastSweep().runId, [...(this.sweepPoints.get(this.lastSweep().runId) ?? []), sweepPoint]);
    this.emitSweep({ type: 'sweep-point', index, point: sweepPoint });
  }
  /** Plays the end of the newest sweep: its SweepResult, of the points played by emitSweepValue. */
  emitSweepFinished(seconds = 75): SweepResult {
    const { runId, base, plan } = this.lastSweep();
    const result: SweepResult = {
      kind: 'sweep',
      setting: plan.setting,
      values: plan.values,
      base,
      points: this.sweepPoints.get(runId) ?? [],
      seconds,
    };
    this.emitSweep({ type: 'sweep-finished', result });
    return result;
  }
  /** Plays the engine stopping the newest sweep at value `index` (cancelled, or failed). */
  emitSweepStopped(index: number, event: Extract<RunEvent, { type: 'failed' | 'cancelled' }>): void {
    this.emitSweep({ type: 'sweep-stopped', index, value: this.valueAt(index), event });
  }
  private valueAt(index: number): string {
    const value = this.lastSweep().plan.values[index];
    if (value === undefined) throw new Error(`the sweep has no value ${index}`);
    return value;
  }
}

export const ACCURACIES: Record<ConditionName, number[]> = {
  reference: [0.1, 0.11, 0.09, 0.1],
  teacher: [0.9, 0.91, 0.89, 0.9],
  student_aux: [0.7, 0.75, 0.72, 0.73],
  student_all: [0.84, 0.83, 0.85, 0.84],
  cross_aux: [0.09, 0.1, 0.08, 0.11],
  cross_all: [0.7, 0.71, 0.72, 0.69],
};

export function makeResult(config: ExperimentConfig = preset('quick'), accuracies = ACCURACIES): ExperimentResult {
  const conditions = Object.fromEntries(
    CONDITIONS.map((name) => [name, { accuracies: accuracies[name], ...summarize(accuracies[name]) }]),
  ) as ExperimentResult['conditions'];
  return {
    config,
    backend: 'wasm',
    seconds: 12.3,
    conditions,
    curves: { teacher: [], distill: [] },
    crossSources: [1, 2, 3, 0],
  };
}

export function point(
  step: number,
  epoch: number,
  accuracy: CurvePoint['accuracy'],
  predictions: CurvePoint['predictions'] = {},
): CurvePoint {
  return { step, epoch, accuracy, loss: null, predictions };
}

/** A distillation point that also carries alignment numbers. */
export function alignedPoint(
  step: number,
  epoch: number,
  alignment: AlignmentPoint,
  accuracy: CurvePoint['accuracy'] = {},
): CurvePoint {
  return { ...point(step, epoch, accuracy), alignment };
}

/**
 * Two measured distillation points with a point without alignment between them. Means at the
 * second: update cosine same +0.3 / different −0.01; relative distance 0.5 / 1.1 (the different
 * student's model 1 starts on its teacher, d₀ = 0, so only model 0 counts); gradient cosine 0.04 / 0.01.
 */
export const ALIGNED_POINTS: CurvePoint[] = [
  alignedPoint(0, 0, {
    updateCosine: { student_aux: [0, 0], cross_aux: [0, 0] },
    distance: { student_aux: [2, 4], cross_aux: [10, 0] },
    gradientCosine: { student_aux: [0.02, 0.04], cross_aux: [0, -0.02] },
  }),
  point(10, 0.5, { student_aux: [0.3, 0.3] }),
  alignedPoint(20, 1, {
    updateCosine: { student_aux: [0.2, 0.4], cross_aux: [0.01, -0.03] },
    distance: { student_aux: [1, 2], cross_aux: [11, 5] },
    gradientCosine: { student_aux: [0.05, 0.03], cross_aux: [0.01, 0.01] },
  }),
];

const outcome = (lossChange: number[], innerProduct: number[], cosine: number[]) => ({
  lossChange,
  innerProduct,
  cosine,
});

/**
 * A one-step experiment of 3 models at ε = 1, 0.001, 0.1, 0.01 (out of order on purpose). Shared
 * start: the loss falls at every ε; at ε = 0.01 by −0.0123 on average, inner product +5.00e-5,
 * cosine +0.120. Different start: 4 of 12 model–ε pairs fall, from −1 to +2; at ε = 0.01 +0.04 on
 * average, cosine +0.01.
 */
export function makeTheorem(): TheoremResult {
  return {
    models: 3,
    studentStep: 0.01,
    batch: 512,
    points: [
      {
        epsilon: 1,
        shared: outcome([-0.03, -0.04, -0.05], [1e-3, 2e-3, 3e-3], [0.3, 0.3, 0.3]),
        different: outcome([2, -1, 0.4], [0.1, -0.1, 0], [0.05, -0.05, 0]),
      },
      {
        epsilon: 0.001,
        shared: outcome([-0.01, -0.012, -0.014], [4e-6, 5e-6, 6e-6], [0.1, 0.1, 0.1]),
        different: outcome([0.05, -0.02, 0.3], [0, 0, 0], [0, 0, 0]),
      },
      {
        epsilon: 0.1,
        shared: outcome([-0.02, -0.021, -0.022], [4e-4, 5e-4, 6e-4], [0.2, 0.2, 0.2]),
        different: outcome([0.5, -0.3, 0.1], [0, 0, 0], [0, 0, 0]),
      },
      {
        epsilon: 0.01,
        shared: outcome([-0.012, -0.0123, -0.0126], [4e-5, 5e-5, 6e-5], [0.1, 0.12, 0.14]),
        different: outcome([-0.1, 0.2, 0.02], [-1e-5, 1e-5, 3e-5], [0.01, -0.02, 0.04]),
      },
    ],
  };
}

export const LABELS = [7, 2, 1, 0, 4, 1, 4, 9];
export const DIGITS: RunEvent = { type: 'digits', images: LABELS.map(() => new Array(784).fill(0)), labels: LABELS };
