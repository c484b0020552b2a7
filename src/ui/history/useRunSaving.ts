/**
 * Saves every run whose conditions are tested, once, with model 0's weights for drawing; the "why"
 * that follows updates the same record. Storage failures become the history's notice.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { takeFinalWeights } from '../draw/finalWeights';
import type { RunState } from '../state/runState';
import type { HistoryParts } from './historyParts';
import { mergeRuns, toSavedRun } from './savedRun';
import { storageError, type SavedRun } from './store';

/** `listedRef`: whether the stored runs have been read (if not, a save that succeeds reads them). */
export function useRunSaving(
  run: RunState | null,
  { getStore, refresh, setRuns, setNotice }: HistoryParts,
  listedRef: RefObject<boolean>,
): void {
  // Results already handed to the store, so a re-render never saves one twice.
  const saved = useRef(new WeakSet<object>());
  // Each live run's record once saved (by run and sweep value), for the update when it finishes.
  const savedAs = useRef(new Map<string, Promise<SavedRun>>());
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
        .then((updated) => setRuns((known) => mergeRuns(known, [updated])))
        .catch((error: unknown) => setNotice(storageError(error, 'save').message));
      return;
    }
    // Model 0's weights come along, so that the run reads drawings again when it is shown again.
    const drawWeights = takeFinalWeights(run!.runId);
    const saving = getStore().then((s) => s.save(drawWeights ? { ...record, drawWeights } : record));
    savedAs.current.set(key, saving);
    saving
      .then((savedRun) => {
        setRuns((known) => mergeRuns(known, [savedRun]));
        setNotice(null);
        if (!listedRef.current) return getStore().then(refresh);
      })
      .catch((error: unknown) => setNotice(storageError(error, 'save').message));
  }, [run, getStore, refresh, listedRef, setRuns, setNotice]);
}
