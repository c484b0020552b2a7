/**
 * Runs a planned sweep: the experiment at each value, one after another, each run as the caller
 * runs any experiment (chunks, worker threads, the page's engine). Events of the runs pass through,
 * labelled with their value; each finished run becomes a point; the end is one SweepResult.
 */
import type { ExperimentConfig } from '../config';
import type { RunEvent } from '../events';
import type { SweepPlan, SweepPoint, SweepResult } from './sweep';

export type SweepEvent =
  /** An event of the run at value `index`. */
  | { type: 'sweep-run'; index: number; value: string; event: RunEvent }
  | { type: 'sweep-point'; index: number; point: SweepPoint }
  | { type: 'sweep-finished'; result: SweepResult }
  | { type: 'sweep-stopped'; index: number; value: string; event: Extract<RunEvent, { type: 'failed' | 'cancelled' }> };

export async function* runSweep(
  base: ExperimentConfig,
  plan: SweepPlan,
  runOne: (config: ExperimentConfig) => AsyncIterable<RunEvent>,
): AsyncGenerator<SweepEvent, void, void> {
  const startedAt = performance.now();
  const points: SweepPoint[] = [];
  for (const [index, config] of plan.configs.entries()) {
    const value = plan.values[index];
    let finished = false;
    for await (const event of runOne(config)) {
      if (event.type === 'failed' || event.type === 'cancelled') {
        yield { type: 'sweep-stopped', index, value, event };
        return;
      }
      yield { type: 'sweep-run', index, value, event };
      if (event.type === 'finished') {
        const point = { value, result: event.result };
        points.push(point);
        finished = true;
        yield { type: 'sweep-point', index, point };
      }
    }
    if (!finished) {
      yield {
        type: 'sweep-stopped',
        index,
        value,
        event: {
          type: 'failed',
          phase: 'prepare',
          reason: `the run at ${plan.setting} = ${value} ended without a result`,
        },
      };
      return;
    }
  }
  yield {
    type: 'sweep-finished',
    result: {
      kind: 'sweep',
      setting: plan.setting,
      values: plan.values,
      base,
      points,
      seconds: (performance.now() - startedAt) / 1000,
    },
  };
}
