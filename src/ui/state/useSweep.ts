/**
 * The page's hook over sweeps: feeds the engine's run into the sweep reducer and, whenever the sweep
 * waits for its next value, starts that config on the engine (once). The engine stays the one the
 * main Run button uses, so the story above follows each run of the sweep as it trains.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import type { SweepPlan } from '../../experiment/sweep';
import type { RunState } from './runState';
import { initialSweepState, pendingConfig, reduceSweep, type SweepKind, type SweepState } from './sweepState';
import type { EngineActions } from './useEngine';

export interface SweepActions {
  /** Starts a sweep (refused while another runs); `afterRunId` is read from the engine's run. */
  start(kind: SweepKind, base: ExperimentConfig, plan: SweepPlan): void;
  /** Cancels the sweep and the engine's run of its current value. */
  cancel(): void;
}

export function useSweep(run: RunState | null, engine: Pick<EngineActions, 'start' | 'cancel'>): [SweepState, SweepActions] {
  const [state, dispatch] = useReducer(reduceSweep, initialSweepState);
  const runRef = useRef(run);
  runRef.current = run;
  // The value last handed to the engine ("sweep id:index"), so each is started once.
  const requested = useRef<string | null>(null);

  useEffect(() => dispatch({ type: 'engine', run, now: performance.now() }), [run]);

  const pending = pendingConfig(state);
  const pendingKey = pending?.key ?? null;
  const pendingRun = pending?.config ?? null;
  const startEngine = engine.start;
  useEffect(() => {
    if (pendingKey === null || pendingRun === null || requested.current === pendingKey) return;
    requested.current = pendingKey;
    startEngine(pendingRun);
  }, [pendingKey, pendingRun, startEngine]);

  const start = useCallback((kind: SweepKind, base: ExperimentConfig, plan: SweepPlan) => {
    dispatch({ type: 'start', kind, base, plan, afterRunId: runRef.current?.runId ?? 0, now: performance.now() });
  }, []);
  const cancelEngine = engine.cancel;
  const cancel = useCallback(() => {
    dispatch({ type: 'cancel' });
    cancelEngine();
  }, [cancelEngine]);

  const actions = useMemo(() => ({ start, cancel }), [start, cancel]);
  return [state, actions];
}
