/**
 * The page's hook over the engine worker: listens to its messages, keeps the UI state, and turns
 * the user's actions into messages. The connection is passed in, so tests hand it a fake one.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import type { EngineConnection } from '../../worker/client';
import type { SweepPlan } from '../../experiment/sweep/sweep';
import { initialUiState, isActive, reduceUi, type KeptRun, type UiState } from './runState';
import { activeSweep, type SweepKind } from './sweepState';
import { holdFinalWeights } from '../draw/finalWeights';
import { SILENT_MS, useEngineWatchdog } from './useEngineWatchdog';

export interface EngineActions {
  /**
   * Starts a run of this config (cancelling one still going, if any); with `stopAtStages` it
   * pauses after the teacher and after the students, for the lecturer to explain.
   */
  start(config: ExperimentConfig, stopAtStages?: boolean): void;
  /** Tells the engine what Run would train, so it fetches the data for it while the page sits idle. */
  prepare(config: ExperimentConfig): void;
  /** Holds the run between two steps, or lets it go on (also past a stage it stopped at). */
  pause(): void;
  resume(): void;
  /** Starts a sweep: the engine runs the experiment at each value of the plan, one after another. */
  startSweep(kind: SweepKind, base: ExperimentConfig, plan: SweepPlan): void;
  /** Cancels the run, or the sweep, going now. */
  cancel(): void;
  /** Asks the worker to download MNIST again after a failure. */
  retryData(): void;
  /** Replaces the worker with a fresh one (after a lost GPU device) and runs the last config again. */
  restartAndRerun(): void;
  /** Replaces the worker with a fresh one, without starting a run (after a worker error). */
  restartEngine(): void;
  dismissWorkerError(): void;
  /** Asks the models of the latest run to read a drawn digit (784 pixels in [-1, 1]); the answer arrives in `draw.guesses`. */
  classify(pixels: number[]): void;
  /** Shows a saved run again as finished (ignored while a run is going). */
  restore(run: KeptRun): void;
}

export function useEngine(connection: EngineConnection): [UiState, EngineActions] {
  const [state, dispatch] = useReducer(reduceUi, initialUiState);
  // The state the actions read: kept in a layout effect, which runs before any passive effect (a
  // child's, say) can call an action, so an action always sees the state of the last commit.
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  });
  const lastRunId = useRef(0);
  const lastRequestId = useRef(0);

  useEffect(
    () =>
      connection.onMessage((message) => {
        holdFinalWeights(message); // a finished run's weights for drawing: off the state, until the history saves them
        dispatch({ type: 'message', message });
      }),
    [connection],
  );

  // A worker that stopped answering mid-run is replaced, and the run ends with the reason.
  useEngineWatchdog(connection, isActive(state.run), () => {
    connection.restart();
    dispatch({ type: 'restart' });
    const reason = `The engine stopped answering for ${SILENT_MS / 1000} s (its worker was stopped or crashed), so it was restarted.`;
    dispatch({ type: 'message', message: { type: 'worker-error', reason } });
  });

  /** A new run id, after cancelling whatever the engine still runs (it would do so itself, later). */
  const nextRunId = useCallback(() => {
    const previous = stateRef.current.run;
    if (previous && !previous.engineDone) connection.send({ type: 'cancel', runId: previous.runId });
    return ++lastRunId.current;
  }, [connection]);

  const start = useCallback(
    (config: ExperimentConfig, stopAtStages = false) => {
      const runId = nextRunId();
      dispatch({ type: 'start', runId, config });
      connection.send({ type: 'start', runId, config, stopAtStages });
    },
    [connection, nextRunId],
  );

  const startSweep = useCallback(
    (kind: SweepKind, base: ExperimentConfig, plan: SweepPlan) => {
      const runId = nextRunId();
      dispatch({ type: 'start-sweep', runId, kind, base, plan, now: performance.now() });
      connection.send({ type: 'sweep', runId, base, plan });
    },
    [connection, nextRunId],
  );

  const actions = useMemo<EngineActions>(
    () => ({
      start,
      startSweep,
      cancel() {
        const { run, sweeps } = stateRef.current;
        // Between two values of a sweep its run shows as finished, but the sweep goes on.
        const runId = isActive(run) ? run!.runId : activeSweep(sweeps)?.runId;
        if (runId === undefined) return;
        dispatch({ type: 'cancel' });
        connection.send({ type: 'cancel', runId });
      },
      prepare(config: ExperimentConfig) {
        connection.send({ type: 'prepare', config });
      },
      pause() {
        const { run } = stateRef.current;
        if (run?.status !== 'running' || run.paused) return;
        dispatch({ type: 'pause' });
        connection.send({ type: 'pause', runId: run.runId });
      },
      resume() {
        const { run } = stateRef.current;
        if (run?.status !== 'running' || !run.paused) return;
        dispatch({ type: 'resume' });
        connection.send({ type: 'resume', runId: run.runId });
      },
      retryData() {
        dispatch({ type: 'retry-data' });
        connection.send({ type: 'retry-data' });
      },
      restartAndRerun() {
        const config = stateRef.current.run?.config;
        connection.restart();
        dispatch({ type: 'restart' });
        if (config) {
          // The fresh worker has never heard of the old run: start anew without cancelling it.
          const runId = ++lastRunId.current;
          dispatch({ type: 'start', runId, config });
          connection.send({ type: 'start', runId, config });
        }
      },
      restartEngine() {
        connection.restart();
        dispatch({ type: 'restart' });
      },
      dismissWorkerError() {
        dispatch({ type: 'dismiss-worker-error' });
      },
      classify(pixels: number[]) {
        connection.send({ type: 'classify', requestId: ++lastRequestId.current, pixels });
      },
      restore(run: KeptRun) {
        if (isActive(stateRef.current.run)) return; // the reducer refuses it too
        dispatch({ type: 'restore', run });
        // The run's own models read drawings from now on (or none, for a record that kept none).
        connection.send({ type: 'draw-weights', runId: 0, weights: run.drawWeights ?? null });
      },
    }),
    [connection, start, startSweep],
  );

  return [state, actions];
}
