// @vitest-environment jsdom
/**
 * The history feature wired as App wires it (engine hook + saved runs + Previous runs + the note),
 * on fake-indexeddb and a fake engine: a finished run is kept, shown again after a "reload" (a new
 * page on the same database), reopened and deleted; storage failures are named and never touch a run.
 */
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { resultJson } from '../../../src/ui/export/export';
import { PreviousRuns } from '../../../src/ui/history/PreviousRuns';
import { RestoredNote } from '../../../src/ui/history/RestoredNote';
import { DB_NAME, DB_VERSION, OPEN_TIMEOUT_MS, openRunStore } from '../../../src/ui/history/store';
import { useLeaveGuard } from '../../../src/ui/history/useLeaveGuard';
import { UNDO_MS, useRunHistory } from '../../../src/ui/history/useRunHistory';
import { whenRan } from '../../../src/ui/history/savedRun';
import { isActive } from '../../../src/ui/state/runState';
import { useEngine } from '../../../src/ui/state/useEngine';
import { ACCURACIES, DIGITS, FakeConnection, LABELS, makeResult, makeTheorem } from '../../support/ui/fixtures';
import { record, saved } from '../../support/ui/records';
import { malformed } from './malformed';

const realFactory = globalThis.indexedDB;
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  globalThis.indexedDB = realFactory;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** The page's part of App: what the lead wires in. */
function Page({ connection }: { connection: FakeConnection }) {
  const [engine, actions] = useEngine(connection);
  const history = useRunHistory(engine.run, actions.restore);
  useLeaveGuard(isActive(engine.run));
  const run = engine.run;
  return (
    <>
      <p data-testid="run" data-status={run?.status ?? 'none'}>
        {run?.result ? `same ${run.result.conditions.student_aux.mean}` : 'no result'}
      </p>
      <button type="button" onClick={() => actions.start(preset('tiny'))}>
        Run
      </button>
      <RestoredNote run={run} />
      <PreviousRuns
        runs={history.runs}
        notice={history.notice}
        busy={isActive(run)}
        onReopen={actions.restore}
        onDelete={history.remove}
        unreadable={history.unreadable}
        deleted={history.deleted}
        onUndo={history.undo}
        resultJson={resultJson}
      />
    </>
  );
}

function openPage() {
  const connection = new FakeConnection();
  // As main.tsx renders the page: StrictMode runs every effect twice, and a run is still saved once.
  const view = render(
    <StrictMode>
      <Page connection={connection} />
    </StrictMode>,
  );
  return { connection, view, user: userEvent.setup() };
}

/** Presses Run and plays a whole run to its end. */
async function finishRun(
  user: ReturnType<typeof userEvent.setup>,
  connection: FakeConnection,
  accuracies = ACCURACIES,
) {
  await user.click(screen.getByRole('button', { name: 'Run' }));
  connection.emitRun(DIGITS);
  connection.emitRun({
    type: 'finished',
    result: { ...makeResult(preset('tiny'), accuracies), theorem: makeTheorem() },
  });
}

const listed = () => within(screen.getByTestId('previous-runs')).queryAllByTestId('previous-run');

describe('runs kept across reloads', () => {
  it('saves a finished run and, after a reload, shows it again marked with when it ran', async () => {
    const first = openPage();
    await finishRun(first.user, first.connection);
    await waitFor(() => expect(listed()).toHaveLength(1));
    expect(await (await openRunStore()).list()).toHaveLength(1);
    expect(screen.queryByTestId('restored-note')).toBeNull(); // this visit's own run
    first.view.unmount();

    openPage();
    await waitFor(() => expect(screen.getByTestId('restored-note')).toBeInTheDocument());
    const [saved] = await (await openRunStore()).list();
    expect(screen.getByTestId('restored-note')).toHaveTextContent(
      `Result of the run at ${whenRan(new Date(saved.ranAt))} — not yet rerun`,
    );
    expect(screen.getByTestId('run')).toHaveAttribute('data-status', 'finished');
    expect(screen.getByTestId('run')).toHaveTextContent(
      `same ${makeResult(preset('tiny')).conditions.student_aux.mean}`,
    );
    expect(listed()).toHaveLength(1);
    // The record holds what the story needs: curves, theorem, the sample digits, the backend.
    expect(saved).toMatchObject({ backend: 'wasm', theorem: makeTheorem(), digits: { labels: LABELS } });
  });

  it('saves each run once, newest first, and reopens and deletes them from the list', async () => {
    const { user, connection } = openPage();
    await finishRun(user, connection);
    await waitFor(() => expect(listed()).toHaveLength(1));
    const lower = { ...ACCURACIES, student_aux: [0.5, 0.5, 0.5, 0.5] };
    await finishRun(user, connection, lower);
    await waitFor(() => expect(listed()).toHaveLength(2));
    const runs = await (await openRunStore()).list();
    expect(runs.map((r) => r.result.conditions.student_aux.mean)).toEqual([
      0.5,
      makeResult().conditions.student_aux.mean,
    ]);

    await user.click(screen.getAllByRole('button', { name: /^Reopen the run at/ })[1]);
    expect(screen.getByTestId('run')).toHaveTextContent(`same ${makeResult().conditions.student_aux.mean}`);
    expect(screen.getByTestId('restored-note')).toBeInTheDocument();
    // A reopened run is not saved again.
    await user.click(screen.getAllByRole('button', { name: /^Delete the run at/ })[0]);
    await waitFor(() => expect(listed()).toHaveLength(1));
    expect((await (await openRunStore()).list()).map((r) => r.id)).toEqual([runs[1].id]);
  });

  it('names a full storage and the run is unaffected: shown, finished, and the next run starts', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const { user, connection } = openPage();
    await finishRun(user, connection);
    expect(await screen.findByTestId('storage-notice')).toHaveTextContent(
      /This run was not saved: this browser's storage for the page is full/,
    );
    expect(screen.getByTestId('run')).toHaveAttribute('data-status', 'finished');
    expect(screen.getByTestId('run')).toHaveTextContent('same');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(screen.getByTestId('run')).toHaveAttribute('data-status', 'running');
    expect(connection.sent.filter((m) => m.type === 'start')).toHaveLength(2);
  });

  it('names a browser without IndexedDB, and runs as before', async () => {
    globalThis.indexedDB = undefined as unknown as IDBFactory;
    const { user, connection } = openPage();
    expect(await screen.findByTestId('storage-notice')).toHaveTextContent(/no IndexedDB/);
    await finishRun(user, connection);
    expect(screen.getByTestId('run')).toHaveAttribute('data-status', 'finished');
  });

  it('does not replace a run started before the saved ones were read', async () => {
    await (await openRunStore()).save(record(1_000));
    const { connection } = openPage();
    // Started in the same tick as the page opened, before the store answered.
    act(() => screen.getByRole('button', { name: 'Run' }).click());
    await waitFor(() => expect(listed()).toHaveLength(1));
    expect(screen.getByTestId('run')).toHaveAttribute('data-status', 'running');
    expect(screen.queryByTestId('restored-note')).toBeNull();
    expect(connection.sent.filter((m) => m.type === 'start')).toHaveLength(1);
  });

  it('asks before the page is left only while a run is going', async () => {
    const { user, connection } = openPage();
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leave()).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(leave()).toBe(true);
    connection.emitRun({ type: 'finished', result: makeResult(preset('tiny')) });
    expect(leave()).toBe(false);
  });
});

/** Lets time run as usual, and jump ahead on demand (the undo window, the open's time limit). */
function jumpableTime() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
  return (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
}

describe('deleting with undo', () => {
  it('deletes at once, offers Undo, and Undo puts the run back in the list and the store', async () => {
    const { user, connection } = openPage();
    await finishRun(user, connection);
    await waitFor(() => expect(listed()).toHaveLength(1));
    const [run] = await (await openRunStore()).list();
    await user.click(screen.getByRole('button', { name: /^Delete the run at/ }));
    expect(await screen.findByTestId('undo-delete')).toHaveTextContent(
      `Deleted the run at ${whenRan(new Date(run.ranAt))}. Undo`,
    );
    expect(listed()).toHaveLength(0);
    expect(await (await openRunStore()).list()).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(listed()).toHaveLength(1));
    expect(screen.queryByTestId('undo-delete')).toBeNull();
    expect(await (await openRunStore()).list()).toEqual([run]);
  });

  it('offers Undo for UNDO_MS only; then the deletion stands', async () => {
    const jump = jumpableTime();
    await (await openRunStore()).save(record(1_000));
    const { user } = openPage();
    await waitFor(() => expect(listed()).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: /^Delete the run at/ }));
    await screen.findByTestId('undo-delete');
    await jump(UNDO_MS - 100);
    expect(screen.getByTestId('undo-delete')).toBeInTheDocument();
    await jump(100);
    expect(screen.queryByTestId('undo-delete')).toBeNull();
    expect(await (await openRunStore()).list()).toEqual([]);
  });

  it('a reload during the undo window keeps the run deleted, with nothing to undo', async () => {
    await (await openRunStore()).save(record(1_000));
    const first = openPage();
    await waitFor(() => expect(listed()).toHaveLength(1));
    await first.user.click(screen.getByRole('button', { name: /^Delete the run at/ }));
    await screen.findByTestId('undo-delete');
    first.view.unmount();

    openPage();
    expect(await screen.findByText(/No saved runs yet/)).toBeInTheDocument();
    expect(screen.queryByTestId('undo-delete')).toBeNull();
    expect(screen.queryByTestId('restored-note')).toBeNull();
  });
});

describe('a malformed stored record', () => {
  it('is listed apart while the page starts, shows the good run again, and can be deleted', async () => {
    await (await openRunStore()).save(record(1_000));
    const db = await openDB(DB_NAME, DB_VERSION);
    await db.put('runs', malformed(saved(50, 2_000), 'a null config'));
    db.close();
    const { user, connection } = openPage();
    // The good run is shown again though the bad one is newer.
    await waitFor(() => expect(screen.getByTestId('restored-note')).toBeInTheDocument());
    expect(listed()).toHaveLength(1);
    expect(screen.getByTestId('unreadable-runs')).toHaveTextContent(/^1 saved run could not be read/);
    expect(screen.getByTestId('unreadable-run')).toHaveTextContent('config: expected Object, found null');
    await user.click(screen.getByRole('button', { name: /^Delete it \(the saved run 1 that could not be read\)/ }));
    await waitFor(() => expect(screen.queryByTestId('unreadable-runs')).toBeNull());
    expect((await (await openRunStore()).read()).unreadable).toEqual([]);
    // And the page runs as ever.
    await finishRun(user, connection);
    await waitFor(() => expect(listed()).toHaveLength(2));
  });
});

describe('an IndexedDB that never answers', () => {
  it('says runs are not being saved, keeps running, and saves once the storage answers again', async () => {
    const jump = jumpableTime();
    const hang = vi.spyOn(globalThis.indexedDB, 'open').mockImplementation(() =>
      Object.assign(Object.create(IDBOpenDBRequest.prototype) as IDBOpenDBRequest, {
        addEventListener() {},
        removeEventListener() {},
      }),
    );
    const { user, connection } = openPage();
    await jump(OPEN_TIMEOUT_MS);
    expect(await screen.findByTestId('storage-notice')).toHaveTextContent(
      /^Runs are not being saved: this browser's storage did not answer within 5 s/,
    );
    await finishRun(user, connection);
    expect(screen.getByTestId('run')).toHaveAttribute('data-status', 'finished');
    // Its save tries the storage again, which still does not answer.
    await jump(OPEN_TIMEOUT_MS);
    expect(screen.getByTestId('storage-notice')).toHaveTextContent(/^Runs are not being saved/);
    expect(hang).toHaveBeenCalledTimes(2);
    // The storage wakes up: the next finished run is saved, the notice goes and the list is read.
    hang.mockRestore();
    await finishRun(user, connection);
    await waitFor(() => expect(listed()).toHaveLength(1));
    expect(screen.queryByTestId('storage-notice')).toBeNull();
  });
});
