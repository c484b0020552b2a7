/**
 * Shared set-up of the browser tests: build the app with Vite into a temporary folder, serve it
 * with `vite preview` on 127.0.0.1 (a free port), and drive Debian's Chromium headless through
 * playwright-core, with WebGPU on SwiftShader (Vulkan on the CPU) where there is no GPU.
 *
 * Without Chromium the tests are skipped with a loud warning; under CI they fail instead.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';

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

/**
 * Builds the app as `npm run build` does (plus any extra HTML entries, e.g. the worker harness)
 * into a fresh temporary folder, and returns that folder.
 */
export async function buildApp(extraInputs: Record<string, string> = {}): Promise<string> {
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
  return outDir;
}

/** What a build is made of: the files' paths, sizes and modification times, under these roots. */
const BUILD_SOURCES = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'package-lock.json',
  'test/browser/harness.html',
  'test/browser/harness.ts',
];
const SHARED_BUILD = 'subliminal-shared-build-';

function sourcesKey(extraInputs: Record<string, string>): string {
  const hash = createHash('sha256').update(JSON.stringify(extraInputs));
  const visit = (file: string) => {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isDirectory()) for (const name of readdirSync(file).sort()) visit(path.join(file, name));
    else hash.update(`${path.relative(ROOT, file)}:${stats.size}:${stats.mtimeMs}\n`);
  };
  BUILD_SOURCES.forEach((source) => visit(path.join(ROOT, source)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * One build for every browser test file of a run (they run one after another): the first file to
 * need a build of these sources makes it, the others serve it as it is (read only). A build of
 * older sources is removed when a new one is made.
 */
async function sharedBuild(extraInputs: Record<string, string>): Promise<string> {
  const dir = path.join(tmpdir(), `${SHARED_BUILD}${sourcesKey(extraInputs)}`);
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  const built = await buildApp(extraInputs);
  for (const name of readdirSync(tmpdir()))
    if (name.startsWith(SHARED_BUILD) && Date.now() - statSync(path.join(tmpdir(), name)).mtimeMs > 3_600_000)
      rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
  try {
    renameSync(built, dir);
  } catch {
    rmSync(built, { recursive: true, force: true }); // made meanwhile by another run
  }
  return dir;
}

/** Builds the app (plus any extra HTML entries, e.g. the worker harness), or reuses this run's build, and serves it. */
export async function buildAndServe(extraInputs: Record<string, string> = {}): Promise<Served> {
  const outDir = await sharedBuild(extraInputs);
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
      await server.close(); // the build stays for the next test file
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
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

/** One request a StaticServer answered. */
export interface StaticRequest {
  method: string;
  /** The path and query as requested. */
  url: string;
  status: number;
  /** Body bytes sent (0 for HEAD, 304 and errors). */
  bytes: number;
}

export interface StaticServer {
  /** The folder's address, ending in '/', e.g. http://127.0.0.1:1234/some/sub/path/. */
  url: string;
  /** Every request answered so far, in order. */
  requests: StaticRequest[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gz': 'application/gzip',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * A plain static file server (Node's http, not Vite), as a simple static host behaves: serves `dir`
 * under `prefix` (e.g. '/some/sub/path/') on 127.0.0.1, answers a folder with its index.html and
 * a folder without its trailing slash with a redirect, sends `.gz` files as the gzip bytes they
 * are (application/gzip, no Content-Encoding), answers If-None-Match with 304, and anything
 * outside `prefix` or missing with 404. Every request is recorded with its status and bytes.
 */
export async function serveStatic(dir: string, prefix = '/'): Promise<StaticServer> {
  if (!prefix.startsWith('/') || !prefix.endsWith('/'))
    throw new Error(`prefix must start and end with '/': ${prefix}`);
  const root = path.resolve(dir);
  const requests: StaticRequest[] = [];
  const answer = (req: IncomingMessage, res: ServerResponse, record: StaticRequest): void => {
    const fail = (status: number) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `${status}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return fail(400);
    }
    if (`${pathname}/` === prefix) {
      record.status = 301;
      res.writeHead(301, { Location: prefix });
      res.end();
      return;
    }
    if (!pathname.startsWith(prefix)) return fail(404);
    let file = path.resolve(root, `.${pathname.slice(prefix.length - 1)}`);
    if (file !== root && !file.startsWith(`${root}${path.sep}`)) return fail(404);
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        record.status = 301;
        res.writeHead(301, { Location: `${pathname}/` });
        res.end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    if (!existsSync(file) || !statSync(file).isFile()) return fail(404);
    const stats = statSync(file);
    const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const headers = {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'max-age=600', // as GitHub Pages sends
      ETag: etag,
      'Last-Modified': stats.mtime.toUTCString(),
    };
    if (req.headers['if-none-match'] === etag) {
      record.status = 304;
      res.writeHead(304, headers);
      res.end();
      return;
    }
    record.status = 200;
    res.writeHead(200, { ...headers, 'Content-Length': String(stats.size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    record.bytes = stats.size;
    createReadStream(file).pipe(res);
  };
  const server = createServer((req, res) => {
    const record: StaticRequest = { method: req.method ?? '', url: req.url ?? '', status: 0, bytes: 0 };
    requests.push(record);
    answer(req, res, record);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the static server did not report a port');
  return {
    url: `http://127.0.0.1:${address.port}${prefix}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The app served (this run's shared build) and Chromium, for one test file's describe block: set
 * up before its tests, closed after them.
 */
export function appInChromium(extraInputs: Record<string, string> = {}): { served: Served; browser: Browser } {
  const app = {} as { served: Served; browser: Browser };
  beforeAll(async () => {
    const start = performance.now();
    app.served = await buildAndServe(extraInputs);
    app.browser = await launchChromium();
    console.log(`browser set-up (build, preview, Chromium): ${Math.round(performance.now() - start)} ms`);
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.served?.close();
  });
  return app;
}
