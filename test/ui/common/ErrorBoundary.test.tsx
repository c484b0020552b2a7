// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { AppBoundary, PanelBoundary, pathWithoutQuery } from '../../../src/ui/common/ErrorBoundary';

/** Throws while `fail.now` is set: a panel that cannot draw what it was given. */
function Fragile({ fail, label }: { fail: { now: boolean }; label: string }) {
  const [clicks, setClicks] = useState(0);
  if (fail.now) throw new Error('cannot draw this');
  return (
    <button type="button" onClick={() => setClicks(clicks + 1)}>
      {label} {clicks}
    </button>
  );
}

/** Like App: state held above the panels, which a panel's failure must not lose. */
function Page({ fail }: { fail: { now: boolean } }) {
  const [result, setResult] = useState<string | null>(null);
  return (
    <div>
      <button type="button" onClick={() => setResult('72.5%')}>
        finish
      </button>
      <output data-testid="result">{result ?? 'none'}</output>
      <PanelBoundary name="stage 5, why it happens">{result && <Fragile fail={fail} label="stage" />}</PanelBoundary>
      <PanelBoundary name="Explore">
        <Fragile fail={{ now: false }} label="explore" />
      </PanelBoundary>
    </div>
  );
}

describe('error boundaries', () => {
  it('a panel that throws is replaced by its message; the rest of the page and its result stay; reset mounts it again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const user = userEvent.setup();
    const fail = { now: true };
    render(<Page fail={fail} />);
    await user.click(screen.getByRole('button', { name: 'explore 0' }));
    await user.click(screen.getByRole('button', { name: 'finish' }));
    const alert = screen.getByTestId('panel-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent('This part of the page failed: stage 5, why it happens. cannot draw this.');
    expect(screen.getByTestId('result')).toHaveTextContent('72.5%');
    // The other panel kept its own state too.
    expect(screen.getByRole('button', { name: 'explore 1' })).toBeInTheDocument();
    // Still failing: reset shows the message again rather than nothing.
    await user.click(screen.getByRole('button', { name: 'Reset this panel' }));
    expect(screen.getByTestId('panel-error')).toBeInTheDocument();
    fail.now = false;
    await user.click(screen.getByRole('button', { name: 'Reset this panel' }));
    expect(screen.queryByTestId('panel-error')).toBeNull();
    expect(screen.getByRole('button', { name: 'stage 0' })).toBeInTheDocument();
    expect(screen.getByTestId('result')).toHaveTextContent('72.5%');
  });

  it('the page-wide boundary offers the page without the link, and to try again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const user = userEvent.setup();
    const fail = { now: true };
    render(
      <AppBoundary>
        <Fragile fail={fail} label="page" />
      </AppBoundary>,
    );
    expect(screen.getByRole('heading', { name: 'Subliminal' })).toBeInTheDocument();
    expect(screen.getByTestId('app-error')).toHaveTextContent(
      'The page hit an error it could not recover from. cannot draw this.',
    );
    expect(screen.getByRole('button', { name: "Open without the link's settings" })).toBeInTheDocument();
    fail.now = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByRole('button', { name: 'page 0' })).toBeInTheDocument();
  });

  it('"without the link\'s settings" is the same path and hash, no query', () => {
    expect(pathWithoutQuery({ pathname: '/subliminal/', hash: '' })).toBe('/subliminal/');
    expect(pathWithoutQuery({ pathname: '/index.html', hash: '#stage-3' })).toBe('/index.html#stage-3');
  });
});
