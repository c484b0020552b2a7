/**
 * Sweeps on the page as one pure reducer. The page's engine runs one config at a time; a sweep asks
 * it for the config of each value in turn and watches the engine's run: finished → a point and the
 * next value; cancelled or failed → the sweep stops, keeping its points. No React, no DOM.
 *
 * The page has three kinds of sweep (any setting, which layers must be shared, chains); the latest
 * of each kind is kept so each panel keeps its chart while another runs.
 */
import type { ExperimentConfig } from '../../experiment/config';
import type { SweepPlan, SweepPoint, SweepResult } from '../../experiment/sweep';
import type { RunState } from './runState';

export type SweepKind = 'values' | 'layers' | 'chain';
export const SWEEP_KINDS: readonly SweepKind[] = ['values', 'layers', 'chain'];

export type SweepStatus = 'running' | 'cancelling' | 'finished' | 'cancelled' | 'failed';

export interface SweepRun {
  /** Counts sweeps on this page, so the hook starts each value of each sweep once. */
  id: number;
  kind: SweepKind;
  /** The config every value starts from. */
  base: ExperimentConfig;
  plan: SweepPlan;
  status: SweepStatus;
  /** Finished values, in plan order. */
  points: SweepPoint[];
  /** The value running now, or where the sweep stopped (plan.values.length once finished). */
  index: number;
  /** The engine's run of the current value; null until the engine has started it. */
  runId: number | null;
  /** The engine's newest run id when the current value was asked for: its run is a newer one. */
  afterRunId: number;
  /** performance.now() at the start, ms. */
  startedAt: number;
  /** The whole sweep, once every value has finished. */
  result: SweepResult | null;
  /** The engine's reason, when a run failed. */
  failure: string | null;
}

export interface SweepState {
  /** The kind of the sweep started last (the one running, if any). */
  latest: SweepKind | null;
  sweeps: Record<SweepKind, SweepRun | null>;
  lastId: number;
}

/** What the reducer needs of the engine's run. */
export type EngineRun = Pick<RunState, 'runId' | 'status' | 'result' | 'failure'>;

export type SweepAction =
  /** `afterRunId`: the engine's newest run id now (0 before any run). */
  | { type: 'start'; kind: SweepKind; base: ExperimentConfig; plan: SweepPlan; afterRunId: number; now: number }
  /** The engine's run changed (any event). */
  | { type: 'engine'; run: EngineRun | null; now: number }
  | { type: 'cancel' };

export const initialSweepState: SweepState = {
  latest: null,
  sweeps: { values: null, layers: null, chain: null },
  lastId: 0,
};

export function isSweepActive(sweep: SweepRun | null | undefined): boolean {
  return !!sweep && (sweep.status === 'running' || sweep.status === 'cancelling');
}

/** The sweep running now, if any. */
export function activeSweep(state: SweepState): SweepRun | null {
  const sweep = state.latest ? state.sweeps[state.latest] : null;
  return isSweepActive(sweep) ? sweep : null;
}

/** The value the engine should run next: the sweep is going and its current value has no run yet. */
export function pendingConfig(state: SweepState): { key: string; config: ExperimentConfig } | null {
  const sweep = activeSweep(state);
  if (!sweep || sweep.status !== 'running' || sweep.runId !== null) return null;
  return { key: `${sweep.id}:${sweep.index}`, config: sweep.plan.configs[sweep.index] };
}

/** The sweep as the JSON the command line writes, with the points finished so far. */
export function sweepResult(sweep: SweepRun, seconds: number): SweepResult {
  return { kind: 'sweep', setting: sweep.plan.setting, values: sweep.plan.values, base: sweep.base, points: sweep.points, seconds };
}

function followRun(sweep: SweepRun, run: EngineRun | null, now: number): SweepRun {
  if (!run) return sweep;
  let current = sweep;
  if (current.runId === null) {
    // Still the run before: the engine has not started this value yet.
    if (run.runId <= current.afterRunId) return sweep;
    current = { ...current, runId: run.runId };
  } else if (run.runId !== current.runId) {
    // Someone started another run in the middle of the sweep.
    return { ...current, status: 'failed', failure: 'another run started in the middle of the sweep' };
  }
  switch (run.status) {
    case 'running':
    case 'cancelling':
      return current;
    case 'cancelled':
      return { ...current, status: 'cancelled' };
    case 'failed':
      return { ...current, status: 'failed', failure: run.failure ?? 'the run failed' };
    case 'finished': {
      if (!run.result) return { ...current, status: 'failed', failure: 'the run finished without a result' };
      const points = [...current.points, { value: current.plan.values[current.index], result: run.result }];
      const index = current.index + 1;
      if (index < current.plan.values.length) {
        // A cancel that came as the run finished: keep its point, start no more.
        const status = current.status === 'cancelling' ? 'cancelled' : 'running';
        return { ...current, points, index, status, runId: null, afterRunId: run.runId };
      }
      const done = { ...current, points, index, status: 'finished' as const };
      return { ...done, result: sweepResult(done, (now - current.startedAt) / 1000) };
    }
  }
}

function replace(state: SweepState, sweep: SweepRun): SweepState {
  return { ...state, sweeps: { ...state.sweeps, [sweep.kind]: sweep } };
}

export function reduceSweep(state: SweepState, action: SweepAction): SweepState {
  switch (action.type) {
    case 'start': {
      // One sweep at a time: the engine runs one config at a time.
      if (activeSweep(state) || action.plan.configs.length === 0) return state;
      const id = state.lastId + 1;
      const sweep: SweepRun = {
        id,
        kind: action.kind,
        base: action.base,
        plan: action.plan,
        status: 'running',
        points: [],
        index: 0,
        runId: null,
        afterRunId: action.afterRunId,
        startedAt: action.now,
        result: null,
        failure: null,
      };
      return { ...replace(state, sweep), latest: action.kind, lastId: id };
    }
    case 'engine': {
      const sweep = activeSweep(state);
      if (!sweep) return state;
      const next = followRun(sweep, action.run, action.now);
      return next === sweep ? state : replace(state, next);
    }
    case 'cancel': {
      const sweep = activeSweep(state);
      if (!sweep || sweep.status !== 'running') return state;
      // Between two values nothing runs: the sweep stops at once.
      return replace(state, { ...sweep, status: sweep.runId === null ? 'cancelled' : 'cancelling' });
    }
  }
}

/**
 * How far the sweep is, 0–1: its finished values plus the engine's fraction of the current one
 * (`run`, when it is this sweep's). Also the current run's own fraction, or null.
 */
export function sweepProgress(sweep: SweepRun, run: Pick<RunState, 'runId' | 'progress'> | null): { fraction: number; current: number | null } {
  const total = sweep.plan.values.length;
  if (sweep.status === 'finished') return { fraction: 1, current: null };
  const current = run && sweep.runId !== null && run.runId === sweep.runId && isSweepActive(sweep) ? (run.progress?.fraction ?? 0) : null;
  const fraction = (sweep.points.length + (current ?? 0)) / total;
  return { fraction: Math.min(1, Math.max(0, fraction)), current };
}
