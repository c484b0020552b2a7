// The saved-runs store on fake-indexeddb (an in-memory IndexedDB): a fresh database per test.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DB_NAME,
  DB_VERSION,
  OPEN_TIMEOUT_MS,
  openRunStore,
  StorageError,
  storageError,
} from '../../../src/ui/history/store';
import { ALIGNED_POINTS, makeTheorem } from '../../support/ui/fixtures';
import { record, saved } from '../../support/ui/records';
import { MALFORMED, malformed } from './malformed';

/** An open request whose events never fire, as some browsers' IndexedDB does when it hangs. */
function neverAnswers(): IDBOpenDBRequest {
  return Object.assign(Object.create(IDBOpenDBRequest.prototype) as IDBOpenDBRequest, {
    addEventListener() {},
    removeEventListener() {},
  });
}

/** Puts records into the database as another program could, bypassing the store. */
async function putRaw(...records: unknown[]): Promise<void> {
  const db = await openDB(DB_NAME, DB_VERSION);
  for (const value of records) await db.put('runs', value);
  db.close();
}

const realFactory = globalThis.indexedDB;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  globalThis.indexedDB = realFactory;
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('the saved-runs store', () => {
  it('creates its schema on first open: one store of runs with an index on when they ran', async () => {
    await openRunStore();
    const db = await openDB(DB_NAME);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).toEqual(['runs']);
    expect([...db.transaction('runs').store.indexNames]).toEqual(['ranAt']);
    db.close();
  });

  it('saves runs with ids and lists them newest first, across openings (a reload)', async () => {
    const store = await openRunStore();
    const first = await store.save(record(1_000));
    const third = await store.save(record(3_000));
    const second = await store.save(record(2_000));
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    const again = await openRunStore();
    expect((await again.list()).map((r) => r.ranAt)).toEqual([3_000, 2_000, 1_000]);
  });

  it('keeps the whole result: config, curves with alignment, theorem, pictures, backend, time', async () => {
    const store = await openRunStore();
    const saved = await store.save(record(5_000));
    const [listed] = await (await openRunStore()).list();
    expect(listed).toEqual(saved);
    expect(listed.result.curves.distill[2].alignment).toEqual(ALIGNED_POINTS[2].alignment);
    expect(listed.result.theorem).toEqual(makeTheorem());
    expect(listed).toMatchObject({ backend: 'wasm', ranAt: 5_000, config: { models: 4 } });
  });

  it('deletes one run, leaving the others', async () => {
    const store = await openRunStore();
    const a = await store.save(record(1_000));
    const b = await store.save(record(2_000));
    await store.remove(a.id);
    expect((await store.list()).map((r) => r.id)).toEqual([b.id]);
  });

  it('names a full storage (quota exceeded) when saving', async () => {
    const store = await openRunStore();
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const failure = await store.save(record(1_000)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ problem: 'quota' });
    expect((failure as Error).message).toMatch(/^This run was not saved: this browser's storage for the page is full/);
  });

  it('names a browser without IndexedDB, and one that refuses it (private mode)', async () => {
    globalThis.indexedDB = undefined as unknown as IDBFactory;
    await expect(openRunStore()).rejects.toMatchObject({
      problem: 'missing',
      message: expect.stringMatching(/no IndexedDB/),
    });
    globalThis.indexedDB = new IDBFactory();
    vi.spyOn(globalThis.indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    await expect(openRunStore()).rejects.toMatchObject({
      problem: 'refused',
      message: expect.stringMatching(/private browsing/),
    });
  });

  it('keeps any other failure’s own words', () => {
    expect(storageError(new Error('disk on fire'), 'list').message).toBe(
      'Previous runs could not be read: disk on fire.',
    );
    const named = new StorageError('blocked', 'x');
    expect(storageError(named, 'save')).toBe(named);
  });
});

describe('records read as data', () => {
  it.each(Object.keys(MALFORMED))(
    'lists a stored record with %s apart, with why, and the good ones as runs',
    async (shape) => {
      const store = await openRunStore();
      const good = await store.save(record(1_000));
      await putRaw(malformed(saved(99, 2_000), shape));
      const stored = await store.read();
      expect(stored.runs).toEqual([good]);
      expect(stored.unreadable).toHaveLength(1);
      expect(stored.unreadable[0]).toMatchObject({ key: 99, problem: expect.stringMatching(/^(result|config|ranAt)/) });
      expect(await store.list()).toEqual([good]);
      // Deleted by its key, it is gone.
      await store.remove(99);
      expect((await store.read()).unreadable).toEqual([]);
    },
  );

  it('lists a record without a usable ranAt too, which the ranAt index would hide', async () => {
    const store = await openRunStore();
    await putRaw({ ...saved(5, 0), ranAt: null }, { ...saved(6, 0), ranAt: { when: 'now' } });
    expect((await store.read()).unreadable).toMatchObject([
      { key: 5, problem: 'ranAt: expected number, found null' },
      { key: 6, problem: 'ranAt: expected number, found Object' },
    ]);
  });

  it('puts a deleted run back, under its own id (Undo)', async () => {
    const store = await openRunStore();
    const run = await store.save(record(1_000));
    await store.remove(run.id);
    expect(await store.list()).toEqual([]);
    await store.putBack(run);
    expect(await store.list()).toEqual([run]);
  });
});

describe('storage faults are named', () => {
  it('gives up an open that never answers, naming that runs are not being saved', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.spyOn(globalThis.indexedDB, 'open').mockImplementation(neverAnswers);
    const opening = openRunStore().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(OPEN_TIMEOUT_MS);
    const failure = await opening;
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({
      problem: 'timeout',
      message: expect.stringMatching(/^Runs are not being saved: this browser's storage did not answer within 5 s/),
    });
  });

  it('lets another tab upgrade the database, then reopens it and keeps saving', async () => {
    const store = await openRunStore();
    const first = await store.save(record(1_000));
    // "Another tab": a newer page opens the database at a newer version (keeping the runs).
    const blocked = vi.fn();
    const other = await openDB(DB_NAME, DB_VERSION + 1, { blocked });
    expect(blocked).not.toHaveBeenCalled(); // this tab let go at once
    const second = await store.save(record(2_000));
    expect((await store.list()).map((r) => r.id)).toEqual([second.id, first.id]);
    expect(await other.count('runs')).toBe(2);
    other.close();
  });

  it('opens a database another tab has already upgraded', async () => {
    await (
      await openDB(DB_NAME, DB_VERSION + 2, {
        upgrade: (db) => db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true }),
      })
    ).close();
    const store = await openRunStore();
    await store.save(record(1_000));
    expect(await store.list()).toHaveLength(1);
  });

  it('names it truly when a newer page in another tab has removed the runs', async () => {
    const store = await openRunStore();
    const other = await openDB(DB_NAME, DB_VERSION + 1, { upgrade: (db) => db.deleteObjectStore('runs') });
    await expect(store.save(record(1_000))).rejects.toMatchObject({
      problem: 'newer',
      message: expect.stringMatching(/a newer version of this page, open in another tab, changed how they are stored/),
    });
    other.close();
  });

  it('starts afresh when another tab deletes the database', async () => {
    const store = await openRunStore();
    await store.save(record(1_000));
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('this tab did not let go'));
    });
    await store.save(record(2_000));
    expect((await store.list()).map((r) => r.ranAt)).toEqual([2_000]);
  });

  it('never blames private browsing for a connection closed under the page', () => {
    const closed = new DOMException('The database connection is closing.', 'InvalidStateError');
    expect(storageError(closed, 'save')).toMatchObject({ problem: 'closed' });
    expect(storageError(closed, 'save').message).not.toMatch(/private browsing/);
    expect(storageError(closed, 'open')).toMatchObject({ problem: 'refused' });
  });
});
