/**
 * Sweeps on the page as one pure reducer over the engine's sweep events. The engine worker runs
 * a sweep itself (the same sequencer as the command line: experiment/sweep/sweepRun.ts) and reports each
 * value's run, each finished point, and the end; the page only keeps what it hears. No React, no DOM.
 *
 * The page has three kinds of sweep (any setting, which layers must be shared, chains); the latest
 * of each kind is kept so each panel keeps its chart while another runs.
 */
import type { ExperimentConfig } from '../../experiment/config';
import type { SweepPlan, SweepPoint, SweepResult } from '../../experiment/sweep/sweep';
import type { SweepEvent } from '../../experiment/sweep/sweepRun';
import type { RunState } from './runTypes';

export type SweepKind = 'values' | 'layers' | 'chain';
export const SWEEP_KINDS: readonly SweepKind[] = ['values', 'layers', 'chain'];

export type SweepStatus = 'running' | 'cancelling' | 'finished' | 'cancelled' | 'failed';

export interface SweepRun {
  /** The engine's id for the whole sweep (every value's run comes under it). */
  runId: number;
  kind: SweepKind;
  /** The config every value starts from. */
  base: ExperimentConfig;
  plan: SweepPlan;
  status: SweepStatus;
  /** Finished values, in plan order. */
  points: SweepPoint[];
  /** The value running now, or where the sweep stopped (plan.values.length once finished). */
  index: number;
  /** performance.now() at the start, ms. */
  startedAt: number;
  /** The whole sweep, once every value has finished. */
  result: SweepResult | null;
  /** Why the sweep stopped, when a run failed or the engine went away. */
  failure: string | null;
}

export interface SweepState {
  /** The kind of the sweep started last (the one running, if any). */
  latest: SweepKind | null;
  sweeps: Record<SweepKind, SweepRun | null>;
}

export type SweepAction =
  | { type: 'start'; runId: number; kind: SweepKind; base: ExperimentConfig; plan: SweepPlan; now: number }
  /** An event of the engine's sweep `runId`. */
  | { type: 'event'; runId: number; event: SweepEvent }
  | { type: 'cancel' }
  /** The engine went away or failed underneath (worker replaced, device lost): the sweep stops. */
  | { type: 'ended'; reason: string };

export const initialSweepState: SweepState = {
  latest: null,
  sweeps: { values: null, layers: null, chain: null },
};

export function isSweepActive(sweep: SweepRun | null | undefined): boolean {
  return !!sweep && (sweep.status === 'running' || sweep.status === 'cancelling');
}

/** The sweep running now, if any. */
export function activeSweep(state: SweepState): SweepRun | null {
  const sweep = state.latest ? state.sweeps[state.latest] : null;
  return isSweepActive(sweep) ? sweep : null;
}

/** The sweep as the JSON the command line writes, with the points finished so far. */
export function sweepResult(sweep: SweepRun, seconds: number): SweepResult {
  return {
    kind: 'sweep',
    setting: sweep.plan.setting,
    values: sweep.plan.values,
    base: sweep.base,
    points: sweep.points,
    seconds,
  };
}

function followEvent(sweep: SweepRun, event: SweepEvent): SweepRun {
  switch (event.type) {
    case 'sweep-run':
      return event.index === sweep.index ? sweep : { ...sweep, index: event.index };
    case 'sweep-point':
      return { ...sweep, points: [...sweep.points, event.point], index: event.index + 1 };
    case 'sweep-finished':
      return {
        ...sweep,
        status: 'finished',
        index: sweep.plan.values.length,
        points: event.result.points,
        result: event.result,
      };
    case 'sweep-stopped': {
      const end = event.event;
      if (end.type === 'cancelled') return { ...sweep, status: 'cancelled', index: event.index };
      return { ...sweep, status: 'failed', index: event.index, failure: end.reason };
    }
  }
}

function replace(state: SweepState, sweep: SweepRun): SweepState {
  return { ...state, sweeps: { ...state.sweeps, [sweep.kind]: sweep } };
}

export function reduceSweep(state: SweepState, action: SweepAction): SweepState {
  switch (action.type) {
    case 'start': {
      if (action.plan.configs.length === 0) return state;
      // A sweep still shown as going was replaced by this one (the engine runs one job at a time).
      const before = activeSweep(state);
      const stopped = before ? replace(state, { ...before, status: 'cancelled' }) : state;
      const { runId, kind, base, plan, now } = action;
      const sweep: SweepRun = {
        runId,
        kind,
        base,
        plan,
        status: 'running',
        points: [],
        index: 0,
        startedAt: now,
        result: null,
        failure: null,
      };
      return { ...replace(stopped, sweep), latest: kind };
    }
    case 'event': {
      const sweep = Object.values(state.sweeps).find((s) => s?.runId === action.runId && isSweepActive(s));
      if (!sweep) return state;
      return replace(state, followEvent(sweep, action.event));
    }
    case 'cancel': {
      const sweep = activeSweep(state);
      if (!sweep || sweep.status !== 'running') return state;
      return replace(state, { ...sweep, status: 'cancelling' });
    }
    case 'ended': {
      const sweep = activeSweep(state);
      if (!sweep) return state;
      return replace(state, { ...sweep, status: 'failed', failure: action.reason });
    }
  }
}

/**
 * How far the sweep is, 0–1: its finished values plus the engine's fraction of the current one
 * (`run`, when it is this sweep's). Also the current run's own fraction, or null.
 */
export function sweepProgress(
  sweep: SweepRun,
  run: Pick<RunState, 'runId' | 'progress' | 'status'> | null,
): { fraction: number; current: number | null } {
  const total = sweep.plan.values.length;
  if (sweep.status === 'finished') return { fraction: 1, current: null };
  const runsThisValue = run && run.runId === sweep.runId && isSweepActive(sweep) && run.status !== 'finished';
  const current = runsThisValue ? (run.progress?.fraction ?? 0) : null;
  const fraction = (sweep.points.length + (current ?? 0)) / total;
  return { fraction: Math.min(1, Math.max(0, fraction)), current };
}
