/**
 * What the user can ask of the engine: each action updates the UI state (dispatch) and sends the
 * worker its message. Made once per connection, so the components that get them never redraw for it.
 */
import { useMemo, useRef, type RefObject } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import type { SweepPlan } from '../../experiment/sweep/sweep';
import type { EngineConnection } from '../../worker/client';
import { isActive } from './runRecords';
import type { KeptRun } from './runTypes';
import { activeSweep, type SweepKind } from './sweepState';
import type { UiAction, UiState } from './uiTypes';

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

type Dispatch = (action: UiAction) => void;

/** `stateRef` holds the state of the last commit (useEngine keeps it in a layout effect). */
export function useEngineActions(
  connection: EngineConnection,
  dispatch: Dispatch,
  stateRef: RefObject<UiState>,
): EngineActions {
  const lastRunIdRef = useRef(0);
  const runActions = useRunActions(connection, dispatch, stateRef, lastRunIdRef);
  const workerActions = useWorkerActions(connection, dispatch, stateRef, lastRunIdRef);
  return useMemo(() => ({ ...runActions, ...workerActions }), [runActions, workerActions]);
}

/** Starting, holding and cancelling a run or a sweep. */
function useRunActions(
  connection: EngineConnection,
  dispatch: Dispatch,
  stateRef: RefObject<UiState>,
  lastRunIdRef: RefObject<number>,
) {
  return useMemo(() => {
    /** A new run id, after cancelling whatever the engine still runs (it would do so itself, later). */
    const nextRunId = () => {
      const previous = stateRef.current.run;
      if (previous && !previous.engineDone) connection.send({ type: 'cancel', runId: previous.runId });
      return ++lastRunIdRef.current;
    };
    return {
      start(config: ExperimentConfig, stopAtStages = false) {
        const runId = nextRunId();
        dispatch({ type: 'start', runId, config });
        connection.send({ type: 'start', runId, config, stopAtStages });
      },
      startSweep(kind: SweepKind, base: ExperimentConfig, plan: SweepPlan) {
        const runId = nextRunId();
        dispatch({ type: 'start-sweep', runId, kind, base, plan, now: performance.now() });
        connection.send({ type: 'sweep', runId, base, plan });
      },
      cancel() {
        const { run, sweeps } = stateRef.current;
        // Between two values of a sweep its run shows as finished, but the sweep goes on.
        const runId = isActive(run) ? run!.runId : activeSweep(sweeps)?.runId;
        if (runId === undefined) return;
        dispatch({ type: 'cancel' });
        connection.send({ type: 'cancel', runId });
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
    };
  }, [connection, dispatch, stateRef, lastRunIdRef]);
}

/** The data, the worker itself, drawings and saved runs. */
function useWorkerActions(
  connection: EngineConnection,
  dispatch: Dispatch,
  stateRef: RefObject<UiState>,
  lastRunIdRef: RefObject<number>,
) {
  const lastRequestIdRef = useRef(0);
  return useMemo(
    () => ({
      prepare(config: ExperimentConfig) {
        connection.send({ type: 'prepare', config });
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
          const runId = ++lastRunIdRef.current;
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
        connection.send({ type: 'classify', requestId: ++lastRequestIdRef.current, pixels });
      },
      restore(run: KeptRun) {
        if (isActive(stateRef.current.run)) return; // the reducer refuses it too
        dispatch({ type: 'restore', run });
        // The run's own models read drawings from now on (or none, for a record that kept none).
        connection.send({ type: 'draw-weights', runId: 0, weights: run.drawWeights ?? null });
      },
    }),
    [connection, dispatch, stateRef, lastRunIdRef],
  );
}
