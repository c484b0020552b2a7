/**
 * "A new version is ready — Reload", once a new build of the site is installed
 * (src/worker/registerServiceWorker.ts). Never during a run: while `busy` it stays hidden and
 * appears when the run ends. Reload lets the new build take over and reloads the page into it.
 */
import { useSyncExternalStore } from 'react';
import { onUpdateReady, updateReady, type ApplyUpdate } from '../../worker/registerServiceWorker';

/** The way into a new build once one is ready, else null; re-renders when it becomes ready. */
export function useUpdateReady(): ApplyUpdate | null {
  return useSyncExternalStore(onUpdateReady, updateReady, () => null);
}

export function UpdatePrompt({ busy }: { busy: boolean }) {
  const apply = useUpdateReady();
  if (!apply || busy) return null;
  return (
    <p role="status" className="update-prompt" data-testid="update-prompt">
      A new version is ready —{' '}
      <button type="button" onClick={apply}>
        Reload
      </button>
    </p>
  );
}
