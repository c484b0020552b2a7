/**
 * Shared set-up of the browser tests: build the app with Vite into a temporary folder, serve it
 * with `vite preview` on 127.0.0.1 (a free port), and drive Debian's Chromium headless through
 * playwright-core, with WebGPU on SwiftShader (Vulkan on the CPU) where there is no GPU.
 *
 * Without Chromium the tests are skipped with a loud warning; under CI they fail instead.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * WebGPU in headless Chromium on a CPU-only Linux machine. `--enable-unsafe-webgpu` is what
 * exposes an adapter there (without it navigator.gpu exists but requestAdapter() answers null);
 * the rest pin SwiftShader (Vulkan for WebGPU, ANGLE for WebGL) so a real GPU, when present,
 * does not make runs behave differently, and keep Chromium off the network (there is none).
 */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
];

/** Says whether the browser tests can run here; warns loudly (or throws under CI) when not. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const problem = `no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH.`;
  if (process.env.CI) throw new Error(`\n\n!!! BROWSER TESTS CANNOT RUN under CI: ${problem}\n`);
  console.warn(`\n\n!!! BROWSER TESTS SKIPPED: ${problem}\n`);
  return false;
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

/** Builds the app (plus any extra HTML entries, e.g. the worker harness) and serves it. */
export async function buildAndServe(extraInputs: Record<string, string> = {}): Promise<Served> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'subliminal-browser-'));
  const input = { main: path.join(ROOT, 'index.html'), ...extraInputs };
  // Vitest sets NODE_ENV=test, which would make Vite build with import.meta.env.PROD false (no
  // service worker) and bundle React's development build: build as `npm run build` does.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: ROOT,
      configFile: path.join(ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, rollupOptions: { input } },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
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
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Console errors and uncaught exceptions of a page (and its workers), as text. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`worker console.error: ${message.text()}`);
  }));
  return errors;
}

/** Milliseconds since `start`, rounded, for the timing lines the tests print. */
export const since = (start: number) => Math.round(performance.now() - start);
