/**
 * Saved runs in IndexedDB (through `idb`), so a reload or a crashed tab loses no finished result.
 * One object store of records. Every failure is turned into a named StorageError, which the page
 * shows as a notice: storage never stops or fails a run. Records are read as untrusted data
 * (recordSchema.ts): one that does not fit is listed as unreadable, never handed to the page.
 *
 * The connection is the browser's to take away: an open that never answers is given up after
 * OPEN_TIMEOUT_MS; another tab that upgrades the database closes this tab's connection, and the
 * next call opens it again at whatever version it now has.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { readRecord } from './recordSchema';
import type { NewSavedRun, SavedRun } from './savedRunType';

export const DB_NAME = 'subliminal';
/** Raise with every change of the record's shape, and teach `upgrade` the step. */
export const DB_VERSION = 1;
const RUNS = 'runs';
/** How long an open may go unanswered before runs are said not to be saved. */
export const OPEN_TIMEOUT_MS = 5_000;

export type { NewSavedRun, SavedRun } from './savedRunType';

/** A stored record that is not a run this page can show, kept so it can be exported or deleted. */
export interface UnreadableRun {
  key: IDBValidKey;
  /** The record as stored. */
  record: unknown;
  /** Why it cannot be read: "result.conditions: expected Object, found undefined". */
  problem: string;
}

export interface StoredRuns {
  /** Newest first. */
  runs: SavedRun[];
  unreadable: UnreadableRun[];
}

interface HistorySchema extends DBSchema {
  // Values are whatever is there: read through recordSchema.ts, never trusted.
  runs: { key: IDBValidKey; value: unknown; indexes: { ranAt: number } };
}

/** What the page needs of a store; tests may hand the hook another. */
export interface RunStore {
  save(run: NewSavedRun): Promise<SavedRun>;
  /** Every saved run this page can show, newest first. */
  list(): Promise<SavedRun[]>;
  /** Every stored record: the runs, newest first, and those that could not be read. */
  read(): Promise<StoredRuns>;
  remove(key: IDBValidKey): Promise<void>;
  /** Puts a deleted record back as it was, under its own key (Undo). */
  putBack(record: unknown): Promise<void>;
}

export type StorageProblem = 'missing' | 'blocked' | 'refused' | 'quota' | 'timeout' | 'newer' | 'closed' | 'other';

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
  // On an open connection this means it was closed under the page (not a refusal of storage).
  if (name === 'InvalidStateError' && action !== 'open') {
    return new StorageError(
      'closed',
      `${WHAT[action]}: the browser closed this tab's connection to its storage. Reload the page to keep saving.`,
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

type Db = IDBPDatabase<HistorySchema>;

/** Opens the database at `version` (undefined: whatever version it has), watching for it being taken away. */
function openAt(version: number | undefined, onBlocked: () => void, onGone: () => void): Promise<Db> {
  return openDB<HistorySchema>(DB_NAME, version, {
    upgrade(database, oldVersion) {
      // Version 1: the first shape. Later versions add their step below, from oldVersion up.
      if (oldVersion < 1)
        database.createObjectStore(RUNS, { keyPath: 'id', autoIncrement: true }).createIndex('ranAt', 'ranAt');
    },
    // An older page in another tab holds the database open and has not let go (yet).
    blocked: onBlocked,
    // Another tab wants a newer version (or to delete it): let it, and reopen on the next call.
    blocking: (_current, _blocked, event) => {
      (event.target as IDBDatabase).close();
      onGone();
    },
    // The browser closed the connection (site data cleared, a storage failure).
    terminated: onGone,
  });
}

/** One connection, given up (with a StorageError naming why) when the open does not answer in time. */
function connect(timeoutMs: number, onGone: () => void): Promise<Db> {
  let blocked = false;
  // Through a promise, so an open that throws at once (a refused storage) fails like one that fails later.
  const opening = new Promise<Db>((resolve) => resolve(openAt(DB_VERSION, () => (blocked = true), onGone))).catch(
    (error: unknown) => {
      // A newer page in another tab has upgraded it: use it as it is now, if it still holds runs.
      if (error instanceof DOMException && error.name === 'VersionError') return openAt(undefined, () => {}, onGone);
      throw error;
    },
  );
  return new Promise<Db>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(
        new StorageError(
          blocked ? 'blocked' : 'timeout',
          blocked
            ? `Runs are not being saved: another tab of this page (an older version) holds its saved runs open. Close or reload that tab, then reload this one.`
            : `Runs are not being saved: this browser's storage did not answer within ${timeoutMs / 1000} s. Results stay on the page until you leave it; export one to keep it.`,
        ),
      );
    }, timeoutMs);
    opening.then(
      (db) => {
        clearTimeout(timer);
        if (late) return db.close(); // given up already; the next call opens afresh
        if (!db.objectStoreNames.contains(RUNS)) {
          db.close();
          reject(
            new StorageError(
              'newer',
              'Runs are not being saved in this tab: a newer version of this page, open in another tab, changed how they are stored. Reload this tab to keep saving.',
            ),
          );
        } else resolve(db);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!late) reject(storageError(error, 'open'));
      },
    );
  });
}

/** Opens (and creates or upgrades) the store in the page's IndexedDB; fails with a StorageError. */
export async function openRunStore({ timeoutMs = OPEN_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<RunStore> {
  if (typeof indexedDB === 'undefined' || !indexedDB) {
    throw new StorageError(
      'missing',
      `${WHAT.open}: this browser offers no IndexedDB here (some private windows turn it off). Export a result to keep it.`,
    );
  }
  // The connection in use; `gone` once another tab or the browser has closed it.
  let current: { db: Promise<Db>; gone: boolean } | null = null;
  const connection = () => {
    if (current) return current;
    const opened = { db: Promise.resolve() as unknown as Promise<Db>, gone: false };
    const forget = () => {
      if (current === opened) current = null;
    };
    opened.db = connect(timeoutMs, () => {
      opened.gone = true;
      forget();
    });
    opened.db.catch(forget); // a failed open is not kept: the next call tries again
    return (current = opened);
  };
  const withDb = async <T>(action: keyof typeof WHAT, work: (db: Db) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const opened = connection();
      const db = await opened.db;
      try {
        return await work(db);
      } catch (error) {
        // Closed under this call (another tab's upgrade): once more, on a fresh connection.
        if (attempt === 0 && opened.gone) continue;
        throw storageError(error, action);
      }
    }
  };
  await connection().db;
  const read = () =>
    withDb('list', async (db) => {
      // The whole store, not the ranAt index: a record without a usable ranAt is listed as unreadable, not hidden.
      const tx = db.transaction(RUNS);
      const [records, keys] = await Promise.all([tx.store.getAll(), tx.store.getAllKeys(), tx.done]);
      const stored: StoredRuns = { runs: [], unreadable: [] };
      records.forEach((record, i) => {
        const readable = readRecord(record);
        if ('run' in readable) stored.runs.push(readable.run);
        else stored.unreadable.push({ key: keys[i], record, problem: readable.problem });
      });
      stored.runs.sort((a, b) => b.ranAt - a.ranAt || b.id - a.id);
      return stored;
    });
  return {
    save: (run) =>
      withDb('save', async (db) => {
        // The store assigns the id (autoIncrement); the record is stored without one.
        const id = (await db.add(RUNS, run)) as number;
        return { ...run, id };
      }),
    read,
    list: async () => (await read()).runs,
    remove: (key) => withDb('remove', (db) => db.delete(RUNS, key)),
    putBack: (record) =>
      withDb('save', async (db) => {
        await db.put(RUNS, record);
      }),
  };
}
