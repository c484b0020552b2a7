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
    const base = import.meta.env.BASE_URL;
    await navigator.serviceWorker.register(`${base}sw.js`, { scope: base });
  } catch (error) {
    console.warn('Offline use is not available: the service worker could not be registered.', error);
  }
}
