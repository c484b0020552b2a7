/**
 * The page's saved runs: saves every run that finishes (each value of a sweep is such a run too),
 * lists them newest first, deletes (with a moment to undo), and after a reload shows the newest
 * again when the page has no run of its own yet. Records that cannot be read are listed apart, to
 * export or delete. Storage failures become `notice`, a sentence; a run never waits for or fails
 * with the store.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { KeptRun, RunState } from '../state/runState';
import type { HistoryParts } from './historyParts';
import { mergeRuns } from './savedRun';
import { useDeleteWithUndo, type DeletedRun } from './useDeleteWithUndo';
import { useRunSaving } from './useRunSaving';
import { openRunStore, storageError, type RunStore, type SavedRun, type UnreadableRun } from './store';

export { UNDO_MS, type DeletedRun } from './useDeleteWithUndo';

export interface RunHistory {
  /** Newest first; empty until the store has answered. */
  runs: SavedRun[];
  /** Stored records that are not runs this page can show. */
  unreadable: UnreadableRun[];
  /** Why runs are not being kept (or could not be read or deleted), for the user; null when all is well. */
  notice: string | null;
  /** The record deleted last, for UNDO_MS after its deletion; null otherwise. */
  deleted: DeletedRun | null;
  /** Deletes a run, or an unreadable record, by its key. */
  remove(key: IDBValidKey): void;
  /** Puts the record deleted last back. */
  undo(): void;
}

export function useRunHistory(
  run: RunState | null,
  restore: (run: KeptRun) => void,
  open: () => Promise<RunStore> = openRunStore,
): RunHistory {
  const [runs, setRuns] = useState<SavedRun[]>([]);
  const [unreadable, setUnreadable] = useState<UnreadableRun[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const store = useRef<Promise<RunStore> | null>(null);
  const getStore = useCallback(() => {
    if (!store.current) {
      const opening = open();
      // A store that failed to open is tried again on the next call (it may answer by then).
      opening.catch(() => {
        if (store.current === opening) store.current = null;
      });
      store.current = opening;
    }
    return store.current;
  }, [open]);
  // After a reload (or a crash) the page shows the last result again, unless a run has started since.
  const restoreNewest = useEffectEvent((list: SavedRun[]) => {
    if (list.length > 0 && run === null) restore(list[0]);
  });
  // Whether the stored runs have been read; if the first try failed, a later success reads them.
  const listedRef = useRef(false);

  const refresh = useCallback(
    (s: RunStore) =>
      s.read().then((stored) => {
        listedRef.current = true;
        setRuns((known) => mergeRuns(known, stored.runs));
        setUnreadable(stored.unreadable);
        return stored;
      }),
    [],
  );

  useEffect(() => {
    let alive = true;
    getStore()
      .then(async (s) => {
        const stored = await refresh(s);
        if (alive) restoreNewest(stored.runs);
      })
      .catch((error: unknown) => alive && setNotice(storageError(error, 'list').message));
    return () => {
      alive = false;
    };
  }, [getStore, refresh]);

  const parts: HistoryParts = { getStore, refresh, setRuns, setUnreadable, setNotice };
  useRunSaving(run, parts, listedRef);
  const { deleted, remove, undo } = useDeleteWithUndo(runs, unreadable, parts);

  return { runs, unreadable, notice, deleted, remove, undo };
}
