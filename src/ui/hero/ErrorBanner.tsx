/**
 * Problems a user can meet, each with what happened and a way on: the MNIST download failed, the
 * GPU device was lost, the worker hit an error, the run failed (and the engine was restarted after it).
 */
import type { UiState } from '../state/runState';
import type { EngineActions } from '../state/useEngine';
import { PHASE_WORDS } from '../common/format';

export function ErrorBanner({ state, actions }: { state: UiState; actions: EngineActions }) {
  const { data, deviceLost, workerError, engineRestarted, run } = state;
  const runFailed = run?.status === 'failed' && run.failedBy === 'engine' ? run : null;
  if (data.status !== 'failed' && !deviceLost && !workerError && !runFailed && !engineRestarted) return null;
  return (
    <div className="errors">
      {data.status === 'failed' && (
        <div className="error" role="alert" data-testid="error-data">
          <p>
            <strong>The MNIST digits could not be loaded.</strong> {data.reason}
          </p>
          <button type="button" onClick={actions.retryData}>
            Retry download
          </button>
        </div>
      )}
      {deviceLost && (
        <div className="error" role="alert" data-testid="error-device-lost">
          <p>
            <strong>The GPU stopped responding (device lost), so the run stopped.</strong> {deviceLost}
          </p>
          <button type="button" onClick={actions.restartAndRerun}>
            Retry
          </button>
        </div>
      )}
      {workerError && (
        <div className="error" role="alert" data-testid="error-worker">
          <p>
            <strong>The engine hit an unexpected error.</strong> {workerError} The page still works: you can run again.
          </p>
          <button type="button" onClick={actions.restartEngine}>
            Restart the engine
          </button>{' '}
          <button type="button" className="secondary" onClick={actions.dismissWorkerError}>
            Dismiss
          </button>
        </div>
      )}
      {runFailed && (
        <div className="error" role="alert" data-testid="error-run">
          <p>
            <strong>The run failed during “{PHASE_WORDS[runFailed.phase]}”.</strong> {runFailed.failure}
          </p>
        </div>
      )}
      {engineRestarted && (
        <div className="error" role="status" data-testid="engine-restarted">
          <p>
            <strong>The engine was restarted</strong> because {engineRestarted}. The next run starts clean: no need to
            reload.
          </p>
        </div>
      )}
    </div>
  );
}
