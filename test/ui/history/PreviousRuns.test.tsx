// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resultJson } from '../../../src/ui/export/export';
import { PreviousRuns } from '../../../src/ui/history/PreviousRuns';
import type { SavedRun } from '../../../src/ui/history/store';
import { whenRan } from '../../../src/ui/history/savedRun';
import { ACCURACIES } from '../../support/ui/fixtures';
import { saved } from '../../support/ui/records';

const T1 = new Date(2026, 10, 29, 9, 5).getTime();
const T2 = new Date(2026, 10, 29, 14, 32).getTime();
const LOWER = { ...ACCURACIES, student_aux: [0.4, 0.4, 0.4, 0.4] };
/** Newest first, as the hook hands them over. */
const RUNS: SavedRun[] = [saved(2, T2, 4, { hidden: [32], seed: 7 }, LOWER), saved(1, T1, 4)];

let downloads: { filename: string; blob: Blob }[];
beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = vi.fn((blob: Blob) => {
    blobs.set(`blob:test/${blobs.size}`, blob);
    return `blob:test/${blobs.size - 1}`;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ filename: this.download, blob: blobs.get(this.href)! });
  });
});

function renderList(props: Partial<Parameters<typeof PreviousRuns>[0]> = {}) {
  const onReopen = vi.fn();
  const onDelete = vi.fn();
  const onUndo = vi.fn();
  const list = (more: typeof props = {}) => (
    <PreviousRuns
      runs={RUNS}
      notice={null}
      busy={false}
      onReopen={onReopen}
      onDelete={onDelete}
      unreadable={[]}
      deleted={null}
      onUndo={onUndo}
      resultJson={resultJson}
      {...props}
      {...more}
    />
  );
  const { rerender } = render(list());
  return {
    onReopen,
    onDelete,
    onUndo,
    user: userEvent.setup(),
    rerender: (more: typeof props) => rerender(list(more)),
  };
}

describe('Previous runs', () => {
  it('lists each run in a row: when, settings, same and different start, models, seconds', () => {
    renderList();
    const section = screen.getByRole('region', { name: 'Previous runs' });
    const rows = within(section).getAllByTestId('previous-run');
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      whenRan(new Date(T2)),
      whenRan(new Date(T1)),
    ]);
    expect([...rows[0].querySelectorAll('td')].slice(1, 6).map((cell) => cell.textContent)).toEqual([
      'tiny · models 4, hidden 32, seed 7',
      '40.0%',
      '9.5%',
      '4',
      '12.3',
    ]);
    expect(rows[1].querySelectorAll('td')[1].textContent).toBe('tiny · models 4');
    for (const name of ['Ran at', 'Settings', 'Same start', 'Different start', 'Models', 'Seconds']) {
      expect(within(section).getByRole('columnheader', { name })).toBeInTheDocument();
    }
  });

  it('reopens a run by keyboard, and waits while a run is going', async () => {
    const { onReopen, user, rerender } = renderList();
    const reopen = screen.getByRole('button', { name: `Reopen the run at ${whenRan(new Date(T1))}` });
    reopen.focus();
    await user.keyboard('{Enter}');
    expect(onReopen).toHaveBeenCalledWith(RUNS[1]);
    rerender({ busy: true });
    expect(screen.getByRole('button', { name: `Reopen the run at ${whenRan(new Date(T1))}` })).toBeDisabled();
    expect(screen.getByText(/Reopen waits until the run in progress ends/)).toBeInTheDocument();
  });

  it('deletes a run, and exports one as the results JSON', async () => {
    const { onDelete, user } = renderList();
    await user.click(screen.getByRole('button', { name: `Delete the run at ${whenRan(new Date(T2))}` }));
    expect(onDelete).toHaveBeenCalledWith(2);
    await user.click(screen.getByRole('button', { name: `Export the run at ${whenRan(new Date(T2))} as JSON` }));
    expect(downloads.map((d) => d.filename)).toEqual(['results-2026-11-29-1432.json']);
    expect(JSON.parse(await downloads[0].blob.text())).toEqual(JSON.parse(resultJson(RUNS[0].result)));
  });

  it('compares two ticked runs: the six conditions and the settings that differ, named in words', async () => {
    const { user } = renderList();
    expect(screen.queryByTestId('compare-runs')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: `Compare the run at ${whenRan(new Date(T2))}` }));
    expect(screen.queryByTestId('compare-runs')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: `Compare the run at ${whenRan(new Date(T1))}` }));
    const table = within(screen.getByTestId('compare-runs')).getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    const text = rows.map((row) => [...row.children].map((cell) => cell.textContent));
    expect(text).toHaveLength(6 + 2);
    expect(text[2]).toEqual(['Same-start student, extra outputs only', '40.0%', '72.5%']);
    expect(text[1]).toEqual(['Teacher', '90.0%', '90.0%']);
    expect(text.slice(6)).toEqual([
      ['Hidden layer widths', '32', '128,128'],
      ['Random seed', '7', String(RUNS[1].config.seed)],
    ]);
    // Unticking one closes the comparison.
    await user.click(screen.getByRole('checkbox', { name: `Compare the run at ${whenRan(new Date(T1))}` }));
    expect(screen.queryByTestId('compare-runs')).toBeNull();
  });

  it('names a storage problem, and says when nothing is saved yet', () => {
    renderList({ runs: [], notice: 'This run was not saved: full.' });
    expect(screen.getByRole('status')).toHaveTextContent('This run was not saved: full.');
    expect(screen.getByText(/No saved runs yet/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('offers to undo a deletion, naming what was deleted', async () => {
    const { onUndo, user, rerender } = renderList();
    expect(screen.queryByTestId('undo-delete')).toBeNull();
    rerender({ deleted: { key: 3, record: {}, label: 'the run at 10:00, 1 Dec' } });
    expect(screen.getByTestId('undo-delete')).toHaveTextContent('Deleted the run at 10:00, 1 Dec. Undo');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(onUndo).toHaveBeenCalledTimes(1);
  });

  it('lists a record it cannot read apart, with why, to export as stored or delete', async () => {
    const record = { id: 9, ranAt: 'yesterday', weights: new Float32Array([0.5, 1]) };
    const { onDelete, user } = renderList({
      runs: [],
      unreadable: [{ key: 9, record, problem: 'ranAt: expected number, found "yesterday"' }],
    });
    const box = screen.getByTestId('unreadable-runs');
    expect(box).toHaveTextContent(/^1 saved run could not be read .* Export it to keep it, or delete it\./);
    expect(within(box).getByTestId('unreadable-run')).toHaveTextContent('ranAt: expected number, found "yesterday"');
    // The page has no readable run, and says so beside the unreadable one.
    expect(screen.getByText(/No saved runs yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Export it (the saved run 1 that could not be read)' }));
    expect(downloads.map((d) => d.filename)).toEqual(['unreadable-run-1.json']);
    expect(JSON.parse(await downloads[0].blob.text())).toEqual({ id: 9, ranAt: 'yesterday', weights: [0.5, 1] });
    await user.click(screen.getByRole('button', { name: 'Delete it (the saved run 1 that could not be read)' }));
    expect(onDelete).toHaveBeenCalledWith(9);
  });
});
