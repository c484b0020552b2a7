/**
 * Registers public/sw.js (the offline cache, see there) in production builds, once the page has
 * loaded so that the service worker's install does not compete with the page for bandwidth, and
 * checks for a new build on every load. In development it does nothing: Vite's dev server serves
 * changing files the cache would pin. Never throws: without a service worker the page works the
 * same, only not offline.
 *
 * A new build is announced to onUpdateReady's listeners (src/ui/common/UpdatePrompt.tsx) with a
 * function that applies it: the waiting service worker takes over and this page reloads.
 */

/** Applies the new build: reloads into it. */
export type ApplyUpdate = () => void;

let ready: ApplyUpdate | null = null;
const listeners = new Set<() => void>();

function announce(apply: ApplyUpdate) {
  ready = apply;
  listeners.forEach((listener) => listener());
}

/** The way into a new build once one is ready, else null (for useSyncExternalStore). */
export const updateReady = (): ApplyUpdate | null => ready;

/** Calls `listener` whenever updateReady changes; returns a function that stops it. */
export function onUpdateReady(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Follows `registration` and announces a new build once its service worker is installed and
 * waiting. (Exported for its test, which hands it fakes.)
 */
export function watchForUpdates(
  registration: ServiceWorkerRegistration,
  container: ServiceWorkerContainer,
  reload: () => void = () => location.reload(),
) {
  // A first visit has no controller: the first worker's claim is not an update.
  const hadController = container.controller !== null;
  let asked = false;
  const offer = (waiting: ServiceWorker) =>
    announce(() => {
      asked = true;
      waiting.postMessage({ type: 'skip-waiting' });
    });
  if (registration.waiting && hadController) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && container.controller) offer(installing);
    });
  });
  container.addEventListener('controllerchange', () => {
    if (asked) reload();
    // Another tab applied the update: this page is the old build, its files no longer cached.
    else if (hadController) announce(reload);
  });
}

export async function registerServiceWorker(): Promise<void> {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  if (document.readyState !== 'complete') {
    await new Promise<void>((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
  }
  try {
    // sw.js sits at the build's root. An absolute base names that root; with the relative base
    // ('./', vite.config.ts) it is one folder up from this module's chunk in assets/, which is
    // not always the page's folder (the browser tests' harness page lives deeper). A variable, not
    // `new URL('…', import.meta.url)` written out, which Vite would take for an asset to bundle.
    const base = import.meta.env.BASE_URL;
    const moduleUrl = import.meta.url;
    const root = base.startsWith('/') ? new URL(base, location.origin) : new URL('../', moduleUrl);
    // updateViaCache 'none': the update check asks the host, never the HTTP cache (hosts such as
    // GitHub Pages let sw.js be cached for 10 minutes).
    const registration = await navigator.serviceWorker.register(new URL('sw.js', root), {
      scope: root.href,
      updateViaCache: 'none',
    });
    watchForUpdates(registration, navigator.serviceWorker);
    // Check for a new build on every load, not only when the browser gets round to it.
    await registration.update().catch(() => undefined);
  } catch (error) {
    console.warn('Offline use is not available: the service worker could not be registered.', error);
  }
}
