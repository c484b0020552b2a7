/** A fake engine connection and made-up engine output for the UI tests. */
import { act } from '@testing-library/react';
import { preset, type ExperimentConfig } from '../../src/experiment/config';
import { CONDITIONS, type ConditionName, type CurvePoint, type ExperimentResult, type RunEvent } from '../../src/experiment/results';
import { summarize } from '../../src/experiment/stats';
import type { EngineConnection } from '../../src/worker/client';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';

/** Records what the page sends; `emit` plays a worker message to the page. */
export class FakeConnection implements EngineConnection {
  sent: ToWorker[] = [];
  restarts = 0;
  private listeners = new Set<(message: FromWorker) => void>();

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
  return { config, backend: 'wasm', seconds: 12.3, conditions, curves: { teacher: [], distill: [] }, crossSources: [1, 2, 3, 0] };
}

export function point(step: number, epoch: number, accuracy: CurvePoint['accuracy'], predictions: CurvePoint['predictions'] = {}): CurvePoint {
  return { step, epoch, accuracy, loss: null, predictions };
}

export const LABELS = [7, 2, 1, 0, 4, 1, 4, 9];
export const DIGITS: RunEvent = { type: 'digits', images: LABELS.map(() => new Array(784).fill(0)), labels: LABELS };
