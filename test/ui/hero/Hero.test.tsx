// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/App';
import { DIGITS, FakeConnection, makeResult, point } from '../../support/ui/fixtures';

function renderApp(url = '/') {
  window.history.replaceState(null, '', url);
  const connection = new FakeConnection();
  render(<App connection={connection} />);
  return { connection, user: userEvent.setup() };
}

describe('the first screen', () => {
  it('flipping the switch changes the bold line, the outlined number and whose guesses are shown, without a message to the engine', async () => {
    const { connection, user } = renderApp();
    await user.click(screen.getByTestId('run'));
    connection.emitRun(DIGITS);
    connection.emitRun({
      type: 'metrics',
      phase: 'distill',
      point: point(
        10,
        1,
        { student_aux: [0.6, 0.7], cross_aux: [0.1, 0.12] },
        { student_aux: [7, 2, 1, 0, 4, 1, 4, 9], cross_aux: [1, 1, 1, 1, 1, 1, 1, 1] },
      ),
    });
    const verdict = screen.getByTestId('hero-verdict');
    expect(verdict).toHaveAttribute('data-status', 'so-far');
    expect(screen.getByTestId('verdict-same')).toHaveTextContent('65%');
    expect(screen.getByTestId('verdict-different')).toHaveTextContent('11%');
    expect(verdict).toHaveTextContent(/so far/);
    const chart = screen.getByTestId('hero-chart');
    expect(chart).toHaveAttribute('data-featured', 'student_aux');
    expect(within(verdict).getByText('Same start').parentElement).toHaveClass('featured');
    const sent = connection.sent.length;

    await user.click(screen.getByTestId('init-switch'));
    expect(chart).toHaveAttribute('data-featured', 'cross_aux');
    expect(within(verdict).getByText('Different start').parentElement).toHaveClass('featured');
    expect(within(verdict).getByText('Same start').parentElement).not.toHaveClass('featured');
    expect(screen.getAllByText('Different-start student: 2 of 8 right.')[0]).toBeInTheDocument();
    expect(screen.getByText(/No retraining: both students are trained in every run/)).toBeInTheDocument();
    expect(connection.sent.length).toBe(sent);

    connection.emitRun({ type: 'finished', result: makeResult() });
    expect(verdict).toHaveAttribute('data-status', 'final');
    expect(verdict).toHaveTextContent(/final · mean of 4 models on 10,000 test digits/);
    expect(screen.getByTestId('verdict-same')).toHaveTextContent('73%');
  });

  it('presenter mode comes from the link, and the button turns it off and on in the link', async () => {
    const { user } = renderApp('/?preset=tiny&present');
    const button = screen.getByTestId('presenter');
    expect(button).toHaveAttribute('aria-pressed', 'true');
    expect(document.querySelector('.app')).toHaveClass('presenting');
    // Settings are folded away while presenting.
    expect(document.querySelector('details.settings-fold')).not.toHaveAttribute('open');
    // Not a refused setting.
    expect(screen.queryByTestId('link-issues')).toBeNull();
    await user.click(button);
    expect(document.querySelector('.app')).not.toHaveClass('presenting');
    expect(window.location.search).toBe('?preset=tiny');
    expect(document.querySelector('details.settings-fold')).toHaveAttribute('open');
    await user.click(button);
    expect(window.location.search).toBe('?preset=tiny&present');
  });

  it('editing a setting keeps presenter mode and the backend in the link', async () => {
    const { user } = renderApp('/?backend=wasm&present');
    const field = screen.getByLabelText(/^Models/);
    await user.clear(field);
    await user.type(field, '2');
    const params = new URLSearchParams(window.location.search);
    expect(params.get('models')).toBe('2');
    expect(params.get('backend')).toBe('wasm');
    expect(params.has('present')).toBe(true);
  });

  it('a link whose single model cannot fit the backend keeps Run off and says why, before anything is sent', () => {
    const { connection } = renderApp('/?preset=paper&models=1000&hidden=4096,4096,4096,4096,4096,4096');
    const run = screen.getByTestId('run');
    expect(run).toBeDisabled();
    expect(
      screen.getByText(/hidden = 4096,4096,4096,4096,4096,4096 with batchSize = 1024 needs about [\d.]+ GB/),
    ).toBeInTheDocument();
    expect(connection.sent).toEqual([]);
    // Once the worker names a backend with room for it (a big GPU), the same config may run.
    connection.emit({
      type: 'backend',
      choice: {
        name: 'webgpu',
        adapter: 'big',
        fallbacks: [],
        limits: { maxBufferBytes: 64e9, memoryBytes: 512e9, source: 'webgpu (big)' },
      },
    });
    expect(run).toBeEnabled();
  });
});
