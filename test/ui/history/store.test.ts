// The saved-runs store on fake-indexeddb (an in-memory IndexedDB): a fresh database per test.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DB_NAME, DB_VERSION, openRunStore, StorageError, storageError } from '../../../src/ui/history/store';
import { ALIGNED_POINTS, makeTheorem } from '../../support/ui/fixtures';
import { record } from '../../support/ui/records';

const realFactory = globalThis.indexedDB;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  globalThis.indexedDB = realFactory;
  vi.restoreAllMocks();
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
