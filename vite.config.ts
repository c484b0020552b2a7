import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { defineConfig, type Plugin, type ResolvedConfig } from 'vite';

/**
 * Writes gzipped MNIST into public/data before the dev server or a build starts (quick when the
 * files are up to date). Run as its own process so the config does not pull Node code into Vite.
 */
function mnistData(): Plugin {
  return {
    name: 'subliminal-mnist-data',
    buildStart() {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-data.ts', 'public/data'], {
        stdio: 'inherit',
      });
    },
  };
}

/**
 * Serves data/*.gz as the gzip bytes they are (Content-Type: application/gzip, no
 * Content-Encoding), as ordinary static hosts do. Vite's own static server sends `.gz` files with
 * `Content-Encoding: gzip`, so the browser unpacks them on the way and the download's
 * Content-Length no longer matches the bytes the page counts.
 */
function mnistAsGzipBytes(): Plugin {
  const middleware =
    (dataDir: () => string, base: () => string) =>
    (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const prefix = `${base()}data/`;
      const name = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
      if (!/^[\w.-]+\.gz$/.test(name)) return next();
      const file = path.join(dataDir(), name);
      if (!existsSync(file)) return next();
      const stats = statSync(file);
      const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
      res.setHeader('Content-Type', 'application/gzip');
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('ETag', etag);
      if (req.headers['if-none-match'] === etag) {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader('Content-Length', String(stats.size));
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    };
  let config: ResolvedConfig;
  return {
    name: 'subliminal-mnist-gzip-bytes',
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      server.middlewares.use(
        middleware(
          () => path.join(config.publicDir, 'data'),
          () => config.base,
        ),
      );
    },
    configurePreviewServer(server) {
      server.middlewares.use(
        middleware(
          () => path.join(path.resolve(config.root, config.build.outDir), 'data'),
          () => config.base,
        ),
      );
    },
  };
}

/**
 * The Content-Security-Policy in index.html is for the built site. Vite's dev server injects the
 * CSS as <style> elements, which that policy (style-src 'self') blocks: in dev it is dropped.
 */
/** index.html without its Content-Security-Policy meta tag, however the tag is laid out. */
export function withoutCsp(html: string): string {
  return html.replace(/\s*<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*>/i, '');
}

function noCspInDev(): Plugin {
  return {
    name: 'subliminal-no-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => withoutCsp(html),
  };
}

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

/**
 * Turns the service worker copied from public/sw.js into the offline cache of this build: prepends
 * the list of files to precache (all but data/) and a version (a hash of every file's name and bytes), so each
 * build gets its own cache name and the browser sees a changed sw.js whenever anything changed.
 * The files are listed relative to sw.js (which sits at the top of dist/), so the list holds
 * wherever dist/ is served from; sw.js resolves them against its own URL.
 */
function serviceWorkerPrecache(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'subliminal-service-worker-precache',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle() {
      const outDir = path.resolve(config.root, config.build.outDir);
      const sw = path.join(outDir, 'sw.js');
      if (!existsSync(sw)) return;
      // The MNIST files are cached by the engine worker (src/worker/engine.worker.ts), not here;
      // tfjs's multi-threaded wasm is never loaded (src/worker/wasmPaths.ts), so it is not stored.
      const skipped = (file: string) =>
        file === 'sw.js' || file.endsWith('.map') || file.startsWith('data/') || /threaded-simd.*\.wasm$/.test(file);
      const files = listFiles(outDir).filter((file) => !skipped(file));
      const hash = createHash('sha256');
      for (const file of files)
        hash
          .update(file)
          .update('\0')
          .update(readFileSync(path.join(outDir, file)));
      const manifest = { version: hash.digest('hex').slice(0, 16), files };
      const source = readFileSync(sw, 'utf8').replace(/^self\.__PRECACHE_MANIFEST = .*\n/, '');
      writeFileSync(sw, `self.__PRECACHE_MANIFEST = ${JSON.stringify(manifest)};\n${source}`);
    },
  };
}

export default defineConfig({
  // Relative URLs in the build (assets, workers, wasm, favicon, manifest): dist/ works unchanged
  // from a site's root or from any folder of any static host (e.g. GitHub Pages' /<repo>/).
  // The dev server still serves from '/'.
  base: './',
  plugins: [mnistData(), mnistAsGzipBytes(), serviceWorkerPrecache(), noCspInDev()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
});
