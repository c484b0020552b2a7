/** One run's events from the engine, folded into its RunState (pure). */
import type { CurvePoint } from '../../experiment/results';
import { PHASE_ORDER, type ModelGroupAt, type Phase } from '../../experiment/events';
import type { FromWorker } from '../../worker/protocol';
import type { RunState, RunStatus } from './runTypes';

/** An event of one run, as the worker passes it on. */
export type RunWorkerEvent = Extract<FromWorker, { type: 'run' }>['event'];

/** The engine's last word on a run. */
type RunEndEvent = Extract<RunWorkerEvent, { type: 'finished' | 'failed' | 'cancelled' }>;

/**
 * Longest curve kept per phase. The config already bounds it (curvePoints ≤ 1000, plus the point at
 * step 0); this is a guard so a chart never holds more than it can draw smoothly.
 */
export const MAX_CURVE_POINTS = 1001;

/** Appends a point, halving the density of the older half when the curve is full. */
export function appendBounded(points: CurvePoint[], point: CurvePoint, max = MAX_CURVE_POINTS): CurvePoint[] {
  const next = [...points, point];
  if (next.length <= max) return next;
  return next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
}

/** Where a run stands in the order of its phases (group by group). */
const rank = (phase: Phase, group: ModelGroupAt | null | undefined) =>
  (group?.index ?? 0) * PHASE_ORDER.length + PHASE_ORDER.indexOf(phase);

/** The run at `phase` of `group`, unless it is already further on: the narration never goes back. */
function forward(run: RunState, phase: Phase, group: ModelGroupAt | undefined): RunState {
  if (rank(phase, group) < rank(run.phase, run.group)) return run;
  return { ...run, phase, group: group ?? run.group };
}

export function reduceRunEvent(run: RunState, event: RunWorkerEvent): RunState {
  // Any sign of life from the engine means the run goes on (it may have been marked failed because
  // the data or the worker looked lost), unless the user asked to cancel it.
  const alive = {
    status: (run.status === 'cancelling' ? 'cancelling' : 'running') as RunStatus,
    failure: null,
    failedBy: null,
  };
  switch (event.type) {
    case 'phase':
      return { ...forward(run, event.phase, event.group), ...alive, phaseMessage: event.message };
    case 'progress':
      return {
        ...forward(run, event.phase, event.group),
        ...alive,
        progress: {
          step: event.step,
          totalSteps: event.totalSteps,
          stepsPerSecond: event.stepsPerSecond,
          // Never backwards, whatever the parts report.
          fraction: Math.max(event.fraction, run.progress?.fraction ?? 0),
          secondsLeft: event.secondsLeft,
        },
      };
    case 'paused':
      return { ...run, ...alive, paused: { phase: event.phase, atStage: event.atStage } };
    case 'evaluated':
      // The verdict is known: final from here on, and the chart shows every model's curves.
      return { ...run, ...alive, result: event.result, curves: event.result.curves };
    case 'metrics':
      return {
        ...run,
        ...alive,
        curves: { ...run.curves, [event.phase]: appendBounded(run.curves[event.phase], event.point) },
      };
    case 'digits':
      return { ...run, ...alive, digits: { images: event.images, labels: event.labels } };
    case 'noise':
      return { ...run, ...alive, noise: { images: event.images, auxProbabilities: event.auxProbabilities } };
    case 'theorem':
      return { ...run, ...alive, theorem: event.result };
    case 'weights':
      return run; // the worker keeps them (and says 'models-ready'); never the page's business
    case 'finished':
    case 'failed':
    case 'cancelled':
      return reduceRunEnd(run, event);
  }
}

/** The engine says the run is over: finished, failed or cancelled. */
function reduceRunEnd(run: RunState, event: RunEndEvent): RunState {
  // The page already ended this run and said why (e.g. the GPU device was lost): the engine's own
  // 'failed' or 'cancelled' that follows only confirms it.
  const endedByPage = run.status === 'failed' && run.failedBy !== null;
  switch (event.type) {
    case 'finished':
      return {
        ...run,
        status: 'finished',
        engineDone: true,
        paused: null,
        // The last phase the run went through: the one-step theorem when it was measured.
        phase: event.result.theorem || run.theorem ? 'theorem' : 'evaluate',
        result: event.result,
        // The engine's whole curves, as a reopened run draws them.
        curves: event.result.curves,
        theorem: event.result.theorem ?? run.theorem,
        failure: null,
        failedBy: null,
        progress: run.progress && { ...run.progress, fraction: 1, secondsLeft: 0 },
      };
    case 'failed':
      if (endedByPage) return { ...run, engineDone: true };
      return {
        ...run,
        status: 'failed',
        failedBy: 'engine',
        engineDone: true,
        paused: null,
        phase: event.phase,
        failure: event.reason,
      };
    case 'cancelled':
      if (endedByPage) return { ...run, engineDone: true };
      return {
        ...run,
        status: 'cancelled',
        engineDone: true,
        paused: null,
        phase: event.phase,
        cancelledAt: { phase: event.phase, step: event.step },
      };
  }
}
