/**
 * A plain static file server (Node's http, not Vite) for the deploy test and
 * scripts/measure-live-show.ts: the build served as a simple static host serves it.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';

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
