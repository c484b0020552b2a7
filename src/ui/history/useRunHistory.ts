/**
 * The page's saved runs: saves every run that finishes (each value of a sweep is such a run too),
 * lists them newest first, deletes (with a moment to undo), and after a reload shows the newest
 * again when the page has no run of its own yet. Records that cannot be read are listed apart, to
 * export or delete. Storage failures become `notice`, a sentence; a run never waits for or fails
 * with the store.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { KeptRun, RunState } from '../state/runState';
import { takeFinalWeights } from '../draw/finalWeights';
import { toSavedRun, whenRan } from './savedRun';
import { openRunStore, storageError, type RunStore, type SavedRun, type UnreadableRun } from './store';

/** How long a deleted run can be put back. */
export const UNDO_MS = 10_000;

/** A record just deleted, held so Undo can put it back. */
export interface DeletedRun {
  key: IDBValidKey;
  record: unknown;
  /** "the run at 14:32, 29 Nov", or "the saved run that could not be read". */
  label: string;
}

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
  const [deleted, setDeleted] = useState<DeletedRun | null>(null);
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
  // Results already handed to the store, so a re-render never saves one twice.
  const saved = useRef(new WeakSet<object>());
  // Each live run's record once saved (by run and sweep value), for the update when it finishes.
  const savedAs = useRef(new Map<string, Promise<SavedRun>>());
  // Whether the stored runs have been read; if the first try failed, a later success reads them.
  const listed = useRef(false);

  const refresh = useCallback(
    (s: RunStore) =>
      s.read().then((stored) => {
        listed.current = true;
        setRuns((known) => merge(known, stored.runs));
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

  useEffect(() => {
    const record = toSavedRun(run, Date.now());
    if (!record || saved.current.has(record.result)) return;
    saved.current.add(record.result);
    // Saved the moment its conditions are tested; the "why" that follows updates the same record.
    const key = `${run!.runId}:${run!.sweepIndex ?? ''}`;
    const first = savedAs.current.get(key);
    if (first) {
      const update = first.then(async (savedRun) => {
        const s = await getStore();
        const updated: SavedRun = { ...savedRun, result: record.result, theorem: record.theorem };
        await s.putBack(updated);
        return updated;
      });
      savedAs.current.set(key, update);
      update
        .then((updated) => setRuns((known) => merge(known, [updated])))
        .catch((error: unknown) => setNotice(storageError(error, 'save').message));
      return;
    }
    // Model 0's weights come along, so that the run reads drawings again when it is shown again.
    const drawWeights = takeFinalWeights(run!.runId);
    const saving = getStore().then((s) => s.save(drawWeights ? { ...record, drawWeights } : record));
    savedAs.current.set(key, saving);
    saving
      .then((savedRun) => {
        setRuns((known) => merge(known, [savedRun]));
        setNotice(null);
        if (!listed.current) return getStore().then(refresh);
      })
      .catch((error: unknown) => setNotice(storageError(error, 'save').message));
  }, [run, getStore, refresh]);

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
    [getStore, runs, unreadable],
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
  }, [deleted, getStore, refresh]);

  // The chance to undo lasts UNDO_MS, then the deletion stands.
  useEffect(() => {
    if (!deleted) return;
    const timer = setTimeout(() => setDeleted(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [deleted]);

  return { runs, unreadable, notice, deleted, remove, undo };
}

/** Known runs plus new ones, each id once, newest first. */
function merge(known: SavedRun[], more: SavedRun[]): SavedRun[] {
  const byId = new Map(known.map((r) => [r.id, r]));
  for (const r of more) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => b.ranAt - a.ranAt || b.id - a.id);
}
