// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/ui/App';
import { FakeConnection, makeResult } from '../../support/ui/fixtures';

/** Every download the page starts: file name and contents. */
let downloads: { filename: string; blob: Blob }[];

beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = vi.fn((blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ filename: this.download, blob: blobs.get(this.href)! });
  });
});

function renderFinished() {
  const connection = new FakeConnection();
  const user = userEvent.setup();
  render(<App connection={connection} />);
  const result = makeResult();
  screen.getByTestId('run').click();
  connection.emitRun({ type: 'finished', result });
  return { user, result };
}

describe('export', () => {
  it('file buttons wait for a result; the link can be copied any time', () => {
    render(<App connection={new FakeConnection()} />);
    for (const id of ['export-json', 'export-csv', 'export-svg', 'export-png'])
      expect(screen.getByTestId(id)).toBeDisabled();
    expect(screen.getByTestId('copy-link')).toBeEnabled();
  });

  it('saves results.json as exactly the ExperimentResult', async () => {
    const { user, result } = renderFinished();
    await user.click(screen.getByTestId('export-json'));
    expect(downloads).toHaveLength(1);
    expect(downloads[0].filename).toBe('results.json');
    expect(JSON.parse(await downloads[0].blob.text())).toEqual(result);
    expect(screen.getByTestId('export-note')).toHaveTextContent('Saved results.json.');
  });

  it('saves the per-model CSV', async () => {
    const { user } = renderFinished();
    await user.click(screen.getByTestId('export-csv'));
    expect(downloads[0].filename).toBe('results.csv');
    const lines = (await downloads[0].blob.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('condition,model,accuracy');
    expect(lines).toHaveLength(25);
  });

  it('saves the result chart as a standalone SVG', async () => {
    const { user } = renderFinished();
    const charts = document.querySelectorAll('svg.recharts-surface').length;
    await user.click(screen.getByTestId('export-svg'));
    // The figure is drawn off screen first, which takes a moment.
    await waitFor(() => expect(downloads).toHaveLength(1));
    // The note follows the download once the awaited save settles.
    await waitFor(() => expect(screen.getByTestId('export-note')).toHaveTextContent('Saved result.svg.'));
    expect(downloads[0].filename).toBe('result.svg');
    expect(downloads[0].blob.type).toBe('image/svg+xml');
    const svg = new DOMParser().parseFromString(await downloads[0].blob.text(), 'image/svg+xml').documentElement;
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    // Drawn off screen at a fixed size, whatever the screen, and gone again afterwards.
    expect(svg.getAttribute('width')).toBe('960');
    expect(document.querySelectorAll('svg.recharts-surface')).toHaveLength(charts);
    expect(svg.querySelectorAll('.recharts-errorBar')).toHaveLength(6);
    expect(svg.textContent).toContain('test accuracy by condition');
    expect(svg.textContent).toContain('chance 10%');
  });

  it('says so when the PNG cannot be drawn', async () => {
    const { user } = renderFinished();
    // jsdom cannot draw images, which is exactly the failure a user should see in words.
    vi.spyOn(HTMLImageElement.prototype, 'src', 'set').mockImplementation(function (this: HTMLImageElement) {
      setTimeout(() => this.onerror?.(new Event('error')));
    });
    await user.click(screen.getByTestId('export-png'));
    expect(
      await screen.findByText('Could not save result.png: the browser could not draw the chart as an image'),
    ).toBeInTheDocument();
  });

  it('copies the link and confirms it', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?preset=tiny&models=2');
    render(<App connection={new FakeConnection()} />);
    await user.click(screen.getByTestId('copy-link'));
    expect(await navigator.clipboard.readText()).toBe(window.location.href);
    expect(window.location.search).toBe('?preset=tiny&models=2');
    expect(screen.getByTestId('export-note')).toHaveTextContent('Link copied');
  });

  it('without a clipboard, shows the link to copy by hand', async () => {
    const user = userEvent.setup();
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    render(<App connection={new FakeConnection()} />);
    await user.click(screen.getByTestId('copy-link'));
    expect(screen.getByTestId('export-note')).toHaveTextContent('Copy the link below by hand');
    expect(screen.getByLabelText('Link to this page with these settings')).toHaveValue(window.location.href);
  });
});
