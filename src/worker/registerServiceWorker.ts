/**
 * Registers public/sw.js (the offline cache, see there) in production builds, once the page has
 * loaded so that the service worker's install does not compete with the page for bandwidth.
 * In development it does nothing: Vite's dev server serves changing files the cache would pin.
 * Never throws: without a service worker the page works the same, only not offline.
 */
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
    await navigator.serviceWorker.register(new URL('sw.js', root), { scope: root.href });
  } catch (error) {
    console.warn('Offline use is not available: the service worker could not be registered.', error);
  }
}
