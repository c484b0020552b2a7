// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/ui/App';
import { PING_MS, SILENT_MS } from '../../../src/ui/state/useEngineWatchdog';
import { FakeConnection } from '../../support/ui/fixtures';

describe('the engine watchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings the worker while a run is active, and stays quiet while it answers', () => {
    const connection = new FakeConnection();
    render(<App connection={connection} />);
    fireEvent.click(screen.getByTestId('run'));
    for (let t = 0; t < (2 * SILENT_MS) / PING_MS; t++) {
      act(() => vi.advanceTimersByTime(PING_MS));
      connection.emit({ type: 'pong' });
    }
    expect(connection.sent.filter((m) => m.type === 'ping').length).toBeGreaterThanOrEqual(
      (2 * SILENT_MS) / PING_MS - 1,
    );
    expect(connection.restarts).toBe(0);
    expect(screen.getByTestId('run')).toBeDisabled();
  });

  it('restarts a worker that stopped answering mid-run, ends the run with the reason, and Run works again', () => {
    const connection = new FakeConnection();
    render(<App connection={connection} />);
    fireEvent.click(screen.getByTestId('run'));
    act(() => vi.advanceTimersByTime(SILENT_MS + 2 * PING_MS));
    expect(connection.restarts).toBe(1);
    expect(screen.getByTestId('error-worker')).toHaveTextContent(/stopped answering for 60 s .* so it was restarted/);
    expect(screen.getByTestId('run')).toBeEnabled();
    // Idle afterwards: no more pings and no second restart.
    const pings = connection.sent.filter((m) => m.type === 'ping').length;
    act(() => vi.advanceTimersByTime(3 * SILENT_MS));
    expect(connection.sent.filter((m) => m.type === 'ping').length).toBe(pings);
    expect(connection.restarts).toBe(1);
  });

  it('sends nothing while no run is active', () => {
    const connection = new FakeConnection();
    render(<App connection={connection} />);
    act(() => vi.advanceTimersByTime(3 * SILENT_MS));
    // Only the data for the settings is asked for ahead; no ping.
    expect(connection.sent.filter((m) => m.type !== 'prepare')).toEqual([]);
    expect(connection.restarts).toBe(0);
  });
});
