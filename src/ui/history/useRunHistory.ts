/**
 * The page's saved runs: saves every run that finishes (each value of a sweep is such a run too),
 * lists them newest first, deletes, and after a reload shows the newest again when the page has
 * no run of its own yet. Storage failures become `notice`, a sentence; a run never waits for or
 * fails with the store.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { KeptRun, RunState } from '../state/runState';
import { toSavedRun } from './savedRun';
import { openRunStore, storageError, type RunStore, type SavedRun } from './store';

export interface RunHistory {
  /** Newest first; empty until the store has answered. */
  runs: SavedRun[];
  /** Why runs are not being kept (or could not be read or deleted), for the user; null when all is well. */
  notice: string | null;
  remove(id: number): void;
}

export function useRunHistory(
  run: RunState | null,
  restore: (run: KeptRun) => void,
  open: () => Promise<RunStore> = openRunStore,
): RunHistory {
  const [runs, setRuns] = useState<SavedRun[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const store = useRef<Promise<RunStore> | null>(null);
  const getStore = useCallback(() => (store.current ??= open()), [open]);
  // After a reload (or a crash) the page shows the last result again, unless a run has started since.
  const restoreNewest = useEffectEvent((list: SavedRun[]) => {
    if (list.length > 0 && run === null) restore(list[0]);
  });
  // Results already handed to the store, so a re-render never saves one twice.
  const saved = useRef(new WeakSet<object>());

  useEffect(() => {
    let alive = true;
    getStore()
      .then((s) => s.list())
      .then((list) => {
        if (!alive) return;
        setRuns((known) => merge(known, list));
        restoreNewest(list);
      })
      .catch((error: unknown) => alive && setNotice(storageError(error, 'list').message));
    return () => {
      alive = false;
    };
  }, [getStore]);

  useEffect(() => {
    const record = toSavedRun(run, Date.now());
    if (!record || saved.current.has(record.result)) return;
    saved.current.add(record.result);
    getStore()
      .then((s) => s.save(record))
      .then((savedRun) => {
        setRuns((known) => merge(known, [savedRun]));
        setNotice(null);
      })
      .catch((error: unknown) => setNotice(storageError(error, 'save').message));
  }, [run, getStore]);

  const remove = useCallback(
    (id: number) => {
      getStore()
        .then((s) => s.remove(id))
        .then(() => setRuns((known) => known.filter((r) => r.id !== id)))
        .catch((error: unknown) => setNotice(storageError(error, 'remove').message));
    },
    [getStore],
  );

  return { runs, notice, remove };
}

/** Known runs plus new ones, each id once, newest first. */
function merge(known: SavedRun[], more: SavedRun[]): SavedRun[] {
  const byId = new Map(known.map((r) => [r.id, r]));
  for (const r of more) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => b.ranAt - a.ranAt || b.id - a.id);
}
