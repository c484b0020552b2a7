/**
 * Shared set-up of the browser tests: the run's one build of the app (made by globalSetup.ts,
 * found with inject), served per file with `vite preview` on 127.0.0.1 (a free port), and
 * Chromium (chromium.ts).
 */
import path from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, inject } from 'vitest';
import { ROOT } from './build';
import { launchChromium } from './chromium';

export { ROOT } from './build';
export { browserAvailable, CHROMIUM, CHROMIUM_ARGS, launchChromium } from './chromium';
export { serveStatic, type StaticRequest, type StaticServer } from './staticServer';

/** The harness page's path in the build. */
export const HARNESS = '/test/browser/harness.html';

/** The run's build folder, made once by globalSetup.ts (read only: copy it to change it). */
export function sharedBuild(): string {
  const outDir = inject('browserBuild');
  if (!outDir) throw new Error('no shared build: run the browser tests through vitest (project browser)');
  return outDir;
}

export interface Served {
  url: string;
  outDir: string;
  /** Requests the preview server answered, by path (query dropped), for "downloaded nothing" checks. */
  hits: Map<string, number>;
  /** Headers added to every response from now on (e.g. COOP/COEP, as some hosts send). */
  setHeaders(headers: Record<string, string>): void;
  close(): Promise<void>;
}

/** Serves the run's build (the app and the harness page) with `vite preview`. */
export async function serveApp(): Promise<Served> {
  const outDir = sharedBuild();
  const hits = new Map<string, number>();
  let extraHeaders: Record<string, string> = {};
  const server: PreviewServer = await preview({
    root: ROOT,
    configFile: path.join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    plugins: [
      {
        name: 'count-requests',
        enforce: 'pre', // before vite.config.ts's own middleware, which answers data/*.gz itself
        configurePreviewServer(s) {
          s.middlewares.use((req, res, next) => {
            const url = new URL(req.url ?? '/', 'http://localhost');
            hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
            for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
            next();
          });
        },
      },
    ],
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    outDir,
    hits,
    setHeaders: (headers) => {
      extraHeaders = headers;
    },
    close: () => server.close(), // the build stays for the next test file
  };
}

/** Chromium's console line for anything the policy blocked ("… violates the following Content Security Policy directive …"). */
const CSP_MESSAGE = /Content Security Policy/i;

/**
 * Console errors, uncaught exceptions and Content-Security-Policy violations of a page (and its
 * workers), as text, so that every test that expects no errors also expects no CSP violation.
 * Chromium logs every action the policy blocks (a script, a style, an image, a request, wasm) as
 * a console error naming the Content Security Policy; those lines are marked as violations. (A
 * `securitypolicyviolation` listener added with page.addInitScript would be no surer: its
 * registration is asynchronous and loses the race with a page.goto that follows at once.)
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  const consoleLine = (where: string) => (message: ConsoleMessage) => {
    if (CSP_MESSAGE.test(message.text())) errors.push(`${where}CSP violation: ${message.text()}`);
    else if (message.type() === 'error') errors.push(`${where}console.error: ${message.text()}`);
  };
  page.on('console', consoleLine(''));
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', consoleLine('worker ')));
  return errors;
}

/** Milliseconds since `start`, rounded, for the timing lines the tests print. */
export const since = (start: number) => Math.round(performance.now() - start);

/**
 * The app served (this run's shared build) and Chromium, for one test file's describe block: set
 * up before its tests, closed after them.
 */
export function appInChromium(): { served: Served; browser: Browser } {
  const app = {} as { served: Served; browser: Browser };
  beforeAll(async () => {
    const start = performance.now();
    app.served = await serveApp();
    app.browser = await launchChromium();
    console.log(`browser set-up (preview, Chromium): ${since(start)} ms`);
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.served?.close();
  });
  return app;
}
