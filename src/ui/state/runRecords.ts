/** A run's records: a fresh one, one shown again from the saved runs, and what of a run is kept. */
import type { ExperimentConfig } from '../../experiment/config';
import type { KeptRun, RunState } from './runTypes';

export function isActive(run: RunState | null): boolean {
  return run !== null && (run.status === 'running' || run.status === 'cancelling');
}

export function newRun(runId: number, config: ExperimentConfig): RunState {
  return {
    runId,
    config,
    status: 'running',
    phase: 'prepare',
    group: null,
    paused: null,
    phaseMessage: '',
    progress: null,
    curves: { teacher: [], distill: [] },
    digits: null,
    noise: null,
    result: null,
    theorem: null,
    failure: null,
    failedBy: null,
    cancelledAt: null,
    engineDone: false,
  };
}

/**
 * A saved run as a finished RunState. Its runId is 0, a number the page never gives a run, and it
 * counts as ended by the engine, so no message from the worker can change it.
 */
export function restoredRun(kept: KeptRun): RunState {
  const { result } = kept;
  const theorem = result.theorem ?? kept.theorem;
  return {
    ...newRun(0, result.config),
    status: 'finished',
    engineDone: true,
    phase: theorem ? 'theorem' : 'evaluate',
    phaseMessage: '',
    // The engine's whole curves: the config bounds them to the page's limit (curvePoints ≤ 1000).
    curves: result.curves,
    digits: kept.digits,
    noise: kept.noise,
    result,
    theorem,
    restoredFrom: new Date(kept.ranAt),
  };
}

/** A finished run as the page keeps it (to save, or to play back). */
export function keptRun(run: RunState): KeptRun {
  if (!run.result) throw new Error('only a run with a result can be kept');
  return {
    result: run.result,
    theorem: run.result.theorem ?? run.theorem,
    digits: run.digits,
    noise: run.noise,
    ranAt: run.restoredFrom?.getTime() ?? Date.now(),
  };
}
