/**
 * Browser-test harness: the real engine worker (src/worker/client.ts) with its messages recorded
 * on `window.harness`, so tests can drive the worker through its protocol without the UI.
 * `?sw` registers the service worker as the app does.
 */
import { connectEngine, pageBackends } from '../../src/worker/client';
import type { EngineTestHooks, FromWorker, ToWorker } from '../../src/worker/protocol';
import { registerServiceWorker } from '../../src/worker/registerServiceWorker';

export interface Harness {
  messages: FromWorker[];
  send(message: ToWorker): void;
  restart(): void;
  /**
   * The messages from index `from` on, as soon as there is one (or none after `timeoutMs`): a
   * test waits on the worker's messages without polling the whole list.
   */
  next(from: number, timeoutMs: number): Promise<FromWorker[]>;
  /** Settles once the service worker is registered (only with `?sw`). */
  serviceWorker: Promise<void>;
}

// The browser's whole order, given explicitly: the tests want WebGPU even though it only runs in
// software here (left to itself, the engine passes over a software-only GPU); `?backend=` overrides.
// Test hooks (a shorter stall timeout) come from a global a test sets with page.addInitScript
// before this page loads, never from the URL.
const engine = connectEngine({
  backends: pageBackends(new URLSearchParams(location.search).get('backend') ?? 'webgpu,webgl,wasm,cpu'),
  testHooks: (window as unknown as { engineTestHooks?: EngineTestHooks }).engineTestHooks,
});
/** Called when a message arrives, by the `next` calls waiting for one. */
const waiting = new Set<() => void>();
const harness: Harness = {
  messages: [],
  send: (message) => engine.send(message),
  restart: () => engine.restart(),
  next: (from, timeoutMs) =>
    new Promise((resolve) => {
      const answer = () => {
        waiting.delete(answer);
        clearTimeout(timer);
        resolve(harness.messages.slice(from));
      };
      const timer = setTimeout(answer, timeoutMs);
      if (harness.messages.length > from) answer();
      else waiting.add(answer);
    }),
  serviceWorker: new URLSearchParams(location.search).has('sw') ? registerServiceWorker() : Promise.resolve(),
};
engine.onMessage((message) => {
  harness.messages.push(message);
  for (const answer of [...waiting]) answer();
});
(window as unknown as { harness: Harness }).harness = harness;
