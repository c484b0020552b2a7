/**
 * Deleting a saved run (or a record that could not be read) at once, with UNDO_MS to put it back:
 * a reload in that window keeps it deleted.
 */
import { useCallback, useEffect, useState } from 'react';
import type { HistoryParts } from './historyParts';
import { whenRan } from './savedRun';
import { storageError, type SavedRun, type UnreadableRun } from './store';

/** How long a deleted run can be put back. */
export const UNDO_MS = 10_000;

/** A record just deleted, held so Undo can put it back. */
export interface DeletedRun {
  key: IDBValidKey;
  record: unknown;
  /** "the run at 14:32, 29 Nov", or "the saved run that could not be read". */
  label: string;
}

export function useDeleteWithUndo(
  runs: SavedRun[],
  unreadable: UnreadableRun[],
  { getStore, refresh, setRuns, setUnreadable, setNotice }: HistoryParts,
) {
  const [deleted, setDeleted] = useState<DeletedRun | null>(null);
  const remove = useCallback(
    (key: IDBValidKey) => {
      const shown = runs.find((r) => r.id === key);
      const bad = unreadable.find((u) => u.key === key);
      const gone: DeletedRun = shown
        ? { key, record: shown, label: `the run at ${whenRan(new Date(shown.ranAt))}` }
        : { key, record: bad?.record, label: 'the saved run that could not be read' };
      // Deleted at once (a reload in the undo window keeps it deleted); Undo puts the record back.
      getStore()
        .then((s) => s.remove(key))
        .then(() => {
          setRuns((known) => known.filter((r) => r.id !== key));
          setUnreadable((known) => known.filter((u) => u.key !== key));
          setDeleted(gone.record === undefined ? null : gone);
        })
        .catch((error: unknown) => setNotice(storageError(error, 'remove').message));
    },
    [getStore, runs, unreadable, setRuns, setUnreadable, setNotice],
  );

  const undo = useCallback(() => {
    if (!deleted) return;
    setDeleted(null);
    getStore()
      .then(async (s) => {
        await s.putBack(deleted.record);
        await refresh(s);
      })
      .catch((error: unknown) => setNotice(storageError(error, 'save').message));
  }, [deleted, getStore, refresh, setNotice]);

  // The chance to undo lasts UNDO_MS, then the deletion stands.
  useEffect(() => {
    if (!deleted) return;
    const timer = setTimeout(() => setDeleted(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [deleted]);

  return { deleted, remove, undo };
}
