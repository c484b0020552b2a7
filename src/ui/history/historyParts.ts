/** What the parts of useRunHistory share: the store, a fresh read of it, and the list's setters. */
import type { Dispatch, SetStateAction } from 'react';
import type { RunStore, SavedRun, StoredRuns, UnreadableRun } from './store';

export interface HistoryParts {
  /** The store, opened on first use (and again after a failed open). */
  getStore: () => Promise<RunStore>;
  /** Reads the stored runs into the list. */
  refresh: (store: RunStore) => Promise<StoredRuns>;
  setRuns: Dispatch<SetStateAction<SavedRun[]>>;
  setUnreadable: Dispatch<SetStateAction<UnreadableRun[]>>;
  /** Why runs are not being kept, or null when all is well. */
  setNotice: Dispatch<SetStateAction<string | null>>;
}
