/**
 * Saved runs in IndexedDB (through `idb`), so a reload or a crashed tab loses no finished result.
 * One object store of records, newest found through an index on when the run finished. Every
 * failure is turned into a named StorageError, which the page shows as a notice: storage never
 * stops or fails a run.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ExperimentConfig } from '../../experiment/config';
import type { KeptRun } from '../state/runState';

export const DB_NAME = 'subliminal';
/** Raise with every change of the record's shape, and teach `upgrade` the step. */
export const DB_VERSION = 1;
const RUNS = 'runs';

/** One finished run as stored. */
export interface SavedRun extends KeptRun {
  /** Given by the store. */
  id: number;
  config: ExperimentConfig;
  /** The backend the run trained on, as the engine named it (e.g. "webgpu"). */
  backend: string;
}

export type NewSavedRun = Omit<SavedRun, 'id'>;

interface HistorySchema extends DBSchema {
  runs: { key: number; value: SavedRun; indexes: { ranAt: number } };
}

/** What the page needs of a store; tests may hand the hook another. */
export interface RunStore {
  save(run: NewSavedRun): Promise<SavedRun>;
  /** Every saved run, newest first. */
  list(): Promise<SavedRun[]>;
  remove(id: number): Promise<void>;
}

export type StorageProblem = 'missing' | 'blocked' | 'refused' | 'quota' | 'other';

/** A storage failure with the sentence the page shows for it. */
export class StorageError extends Error {
  constructor(
    readonly problem: StorageProblem,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

const WHAT: Record<'open' | 'save' | 'list' | 'remove', string> = {
  open: 'Runs cannot be kept on this device',
  save: 'This run was not saved',
  list: 'Previous runs could not be read',
  remove: 'That run could not be deleted',
};

/** Names a failure of IndexedDB in words, with what it means for the user. */
export function storageError(error: unknown, action: keyof typeof WHAT): StorageError {
  if (error instanceof StorageError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const detail = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  if (name === 'QuotaExceededError') {
    return new StorageError(
      'quota',
      `${WHAT[action]}: this browser's storage for the page is full. Delete some previous runs or export them to free room.`,
    );
  }
  if (
    name === 'SecurityError' ||
    name === 'InvalidStateError' ||
    name === 'NotAllowedError' ||
    name === 'UnknownError'
  ) {
    return new StorageError(
      'refused',
      `${WHAT[action]}: the browser refused its storage (private browsing, or site data blocked in its settings). Export a result to keep it.`,
    );
  }
  return new StorageError('other', `${WHAT[action]}: ${detail || name || 'storage failed'}.`);
}

/** Opens (and creates or upgrades) the store in the page's IndexedDB; fails with a StorageError. */
export async function openRunStore(): Promise<RunStore> {
  if (typeof indexedDB === 'undefined' || !indexedDB) {
    throw new StorageError(
      'missing',
      `${WHAT.open}: this browser offers no IndexedDB here (some private windows turn it off). Export a result to keep it.`,
    );
  }
  let db: IDBPDatabase<HistorySchema>;
  try {
    db = await new Promise<IDBPDatabase<HistorySchema>>((resolve, reject) => {
      openDB<HistorySchema>(DB_NAME, DB_VERSION, {
        upgrade(database, oldVersion) {
          // Version 1: the first shape. Later versions add their step below, from oldVersion up.
          if (oldVersion < 1)
            database.createObjectStore(RUNS, { keyPath: 'id', autoIncrement: true }).createIndex('ranAt', 'ranAt');
        },
        // Another tab holds an older version open: waiting would hang the list forever.
        blocked: () =>
          reject(
            new StorageError(
              'blocked',
              `${WHAT.open} for now: another tab of this page holds its saved runs open. Close it and reload.`,
            ),
          ),
      }).then(resolve, reject);
    });
  } catch (error) {
    throw storageError(error, 'open');
  }
  // A newer page in another tab wants to upgrade: let it (this tab's next call fails and is named).
  db.addEventListener('versionchange', () => db.close());
  return {
    async save(run) {
      try {
        // The store assigns the id (autoIncrement); the record is stored without one.
        const id = await db.add(RUNS, run as SavedRun);
        return { ...run, id };
      } catch (error) {
        throw storageError(error, 'save');
      }
    },
    async list() {
      try {
        const runs = await db.getAllFromIndex(RUNS, 'ranAt');
        return runs.reverse();
      } catch (error) {
        throw storageError(error, 'list');
      }
    },
    async remove(id) {
      try {
        await db.delete(RUNS, id);
      } catch (error) {
        throw storageError(error, 'remove');
      }
    },
  };
}
