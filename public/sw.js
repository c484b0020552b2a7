/**
 * Subliminal's service worker: after the first visit the page, the engine worker and tfjs's .wasm
 * files come from the Cache API, so a second visit downloads nothing and the page works with no
 * network. The gzipped MNIST files are cached by the engine worker itself, in its own cache
 * (src/worker/engine.worker.ts, DATA_CACHE): they are downloaded on the first visit before this
 * worker controls the page, and storing them here too would download 11 MB twice.
 *
 * A build prepends `self.__PRECACHE_MANIFEST = { version, files }` (vite.config.ts,
 * serviceWorkerPrecache): every file of the build, relative to this file, and a hash of them all
 * that names the cache. Install stores those files; activate deletes the caches of older builds;
 * fetch answers same-origin GETs within this worker's folder from the cache first, storing
 * anything new it had to fetch. Without a manifest (this file served as is) it only caches what
 * the page fetches.
 *
 * Updates: a new build's sw.js differs (its manifest's version), so the browser installs it beside
 * the old one, where it waits while any tab of the old build is open (a running experiment must not
 * have its files swapped under it). The page (src/worker/registerServiceWorker.ts) checks for an
 * update on every load and offers "A new version is ready — Reload"; Reload asks the waiting worker
 * to take over ('skip-waiting'), and the page reloads when it has. A plain reload of the only tab
 * gets the new build too: its navigation lets the waiting worker take over first (see cacheFirst).
 *
 * Nothing here assumes the site's root: every URL is resolved against this file's own URL, so the
 * same dist/ works offline from https://host/ and from https://host/any/sub/path/.
 */
const MANIFEST = self.__PRECACHE_MANIFEST || { version: 'unbuilt', files: [] };
const PREFIX = 'subliminal-app-';
const CACHE = `${PREFIX}${MANIFEST.version}`;
/** The folder this worker was served from (the app's folder): its files' URLs are relative to it. */
const HOME = new URL('./', self.location.href).href;
const PRECACHE = MANIFEST.files.map((file) => new URL(file, HOME).href);
/** The page itself, answered for any navigation within the app's folder. */
const INDEX = new URL('index.html', HOME).href;

/** Hashed build assets never change content under one name. */
const immutable = (url) => url.startsWith(`${HOME}assets/`);
/** The MNIST files: the engine worker's own cache answers for them. */
const isData = (url) => /\/data\/[^/]+\.gz$/.test(url.pathname);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(
        PRECACHE.map(async (url) => {
          // The page has usually just downloaded these: 'force-cache' takes them from the HTTP
          // cache rather than fetching them a second time.
          const response = await fetch(new Request(url, { cache: immutable(url) ? 'force-cache' : 'no-cache' }));
          if (!response.ok) throw new Error(`precache: ${url} answered HTTP ${response.status}`);
          await cache.put(url, response);
        }),
      );
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      );
      // Control the page of the first visit too, so what it fetches from now on is cached.
      await self.clients.claim();
    })(),
  );
});

// The page's Reload on "A new version is ready": this (waiting) worker takes over now.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(HOME) || isData(url)) return;
  event.respondWith(cacheFirst(event, request, url));
});

async function cacheFirst(event, request, url) {
  const cache = await caches.open(CACHE);
  // ignoreVary: static servers answer `Vary: Origin`, and the page's module scripts are requested
  // with an Origin header that the precache requests did not send.
  if (request.mode === 'navigate') {
    const reloaded = await handOver();
    if (reloaded) return reloaded;
    // Any query (the experiment's settings live there) gets the same page.
    const page = url.pathname.endsWith('/') ? new URL('index.html', url).href : url.href;
    const cached = await cache.match(page, { ignoreSearch: true, ignoreVary: true });
    if (cached) return cached;
  } else {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
  }
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    // Offline, any other address in the app's folder (e.g. /sub/path/index.html?x or a mistyped
    // page) gets the app rather than the browser's error page.
    const fallback =
      request.mode === 'navigate' && (await cache.match(INDEX, { ignoreSearch: true, ignoreVary: true }));
    if (fallback) return fallback;
    throw error;
  }
  if (response.ok && response.type === 'basic' && !url.search) event.waitUntil(cache.put(request, response.clone()));
  return response;
}

/**
 * A navigation while a new build waits and no other tab holds the old one (the only client is the
 * page being replaced): the new worker takes over, and the browser is told to load the page again
 * at once (Refresh: 0), so this very reload gets the new build. With other tabs open the old build
 * stays until the page's Reload (they may be running an experiment).
 */
const handedOver = new WeakSet();

async function handOver() {
  const waiting = self.registration.waiting;
  // Once per waiting worker: should it fail to take over, the page loads as before, no reload loop.
  if (!waiting || waiting.state !== 'installed' || handedOver.has(waiting)) return null;
  const windows = await self.clients.matchAll({ type: 'window' });
  if (windows.length > 1) return null;
  handedOver.add(waiting);
  waiting.postMessage({ type: 'skip-waiting' });
  await new Promise((resolve) => {
    const done = () => waiting.state !== 'installed' && waiting.state !== 'activating';
    if (done()) return resolve();
    waiting.addEventListener('statechange', () => done() && resolve());
    setTimeout(resolve, 3000); // never hold a navigation for long
  });
  // A page of its own icon, so the browser asks for no /favicon.ico outside the app's folder.
  const page = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>Subliminal</title>';
  return new Response(page, {
    headers: { Refresh: '0', 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
