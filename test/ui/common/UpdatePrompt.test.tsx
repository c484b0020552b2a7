// @vitest-environment jsdom
/**
 * A new build reaches a returning visitor: once a new service worker is installed and waiting, the
 * page offers "A new version is ready — Reload" (never while a run is going); Reload asks the
 * waiting worker to take over and reloads when it has. Fakes stand in for the browser's
 * registration and container; the real ones are driven in test/browser/deploy.test.ts.
 */
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Module = typeof import('../../../src/worker/registerServiceWorker');
type Prompt = typeof import('../../../src/ui/common/UpdatePrompt');

/** A service worker that records what it is told and changes state on demand. */
class FakeWorker extends EventTarget {
  state = 'installing';
  told: unknown[] = [];
  postMessage(message: unknown) {
    this.told.push(message);
  }
  become(state: string) {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

class FakeRegistration extends EventTarget {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  /** A new sw.js was found: it installs, then waits. */
  found(): FakeWorker {
    const worker = new FakeWorker();
    this.installing = worker;
    this.dispatchEvent(new Event('updatefound'));
    return worker;
  }
}

class FakeContainer extends EventTarget {
  constructor(public controller: object | null) {
    super();
  }
  claimed() {
    this.controller = {};
    this.dispatchEvent(new Event('controllerchange'));
  }
}

let sw: Module;
let prompt: Prompt;

beforeEach(async () => {
  // The announced update is module state: a fresh module per test.
  vi.resetModules();
  sw = await import('../../../src/worker/registerServiceWorker');
  prompt = await import('../../../src/ui/common/UpdatePrompt');
});

const watch = (registration: FakeRegistration, container: FakeContainer, reload: () => void) =>
  sw.watchForUpdates(
    registration as unknown as ServiceWorkerRegistration,
    container as unknown as ServiceWorkerContainer,
    reload,
  );

describe('UpdatePrompt', () => {
  it('offers the new build once it waits, not during a run, and Reload hands over then reloads', async () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer({});
    const reload = vi.fn();
    watch(registration, container, reload);
    const { rerender } = render(<prompt.UpdatePrompt busy={false} />);
    expect(screen.queryByTestId('update-prompt')).toBeNull();

    const worker = registration.found();
    act(() => worker.become('installed'));
    // A run is going: not now.
    rerender(<prompt.UpdatePrompt busy={true} />);
    expect(screen.queryByTestId('update-prompt')).toBeNull();
    // The run ended: offered.
    rerender(<prompt.UpdatePrompt busy={false} />);
    expect(screen.getByTestId('update-prompt')).toHaveTextContent('A new version is ready — Reload');

    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(worker.told).toEqual([{ type: 'skip-waiting' }]);
    expect(reload).not.toHaveBeenCalled(); // not before the new worker has taken over
    act(() => container.claimed());
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('offers a build that was already waiting when the page loaded', () => {
    const registration = new FakeRegistration();
    registration.waiting = Object.assign(new FakeWorker(), { state: 'installed' });
    watch(registration, new FakeContainer({}), vi.fn());
    render(<prompt.UpdatePrompt busy={false} />);
    expect(screen.getByTestId('update-prompt')).toBeInTheDocument();
  });

  it('says nothing on a first visit: the first worker installing and taking control is no update', () => {
    const registration = new FakeRegistration();
    const container = new FakeContainer(null);
    const reload = vi.fn();
    watch(registration, container, reload);
    render(<prompt.UpdatePrompt busy={false} />);
    const worker = registration.found();
    act(() => worker.become('installed'));
    act(() => container.claimed());
    expect(screen.queryByTestId('update-prompt')).toBeNull();
    expect(reload).not.toHaveBeenCalled();
  });

  it('a page left on the old build when another tab applied the update offers a plain reload', async () => {
    const container = new FakeContainer({});
    const reload = vi.fn();
    watch(new FakeRegistration(), container, reload);
    render(<prompt.UpdatePrompt busy={false} />);
    act(() => container.claimed());
    expect(reload).not.toHaveBeenCalled(); // never reloaded from under the user
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
