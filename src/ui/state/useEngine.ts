/**
 * The page's hook over the engine worker: listens to its messages, keeps the UI state, and turns
 * the user's actions into messages (useEngineActions). The connection is passed in, so tests hand it
 * a fake one.
 */
import { useEffect, useLayoutEffect, useReducer, useRef } from 'react';
import type { EngineConnection } from '../../worker/client';
import { initialUiState, isActive, reduceUi, type UiState } from './runState';
import { holdFinalWeights } from '../draw/finalWeights';
import { type EngineActions, useEngineActions } from './useEngineActions';
import { SILENT_MS, useEngineWatchdog } from './useEngineWatchdog';

export type { EngineActions } from './useEngineActions';

export function useEngine(connection: EngineConnection): [UiState, EngineActions] {
  const [state, dispatch] = useReducer(reduceUi, initialUiState);
  // The state the actions read: kept in a layout effect, which runs before any passive effect (a
  // child's, say) can call an action, so an action always sees the state of the last commit.
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  });

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

  const actions = useEngineActions(connection, dispatch, stateRef);

  return [state, actions];
}
