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
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { resultJson } from '../../../src/ui/export/export';
import { PreviousRuns } from '../../../src/ui/history/PreviousRuns';
import { RestoredNote } from '../../../src/ui/history/RestoredNote';
import { openRunStore } from '../../../src/ui/history/store';
import { useLeaveGuard } from '../../../src/ui/history/useLeaveGuard';
import { useRunHistory } from '../../../src/ui/history/useRunHistory';
import { whenRan } from '../../../src/ui/history/savedRun';
import { isActive } from '../../../src/ui/state/runState';
import { useEngine } from '../../../src/ui/state/useEngine';
import { ACCURACIES, DIGITS, FakeConnection, LABELS, makeResult, makeTheorem } from '../../support/ui/fixtures';
import { record } from '../../support/ui/records';

const realFactory = globalThis.indexedDB;
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  globalThis.indexedDB = realFactory;
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
