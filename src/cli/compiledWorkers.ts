/**
 * Worker threads for `npm run experiment` as compiled JavaScript. Under tsx each worker thread
 * would load the TypeScript sources through tsx's loader, module by module, and hold them: about
 * 80 MB more per thread than compiled code, and a slower start. Instead the first run compiles
 * each worker entry once with esbuild, as `npm run bundle` does (cliBuild.ts), into
 * node_modules/.cache/subliminal-workers/<key>/, where the key changes with any source file;
 * later runs start from there at once.
 */
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_BUILD_OPTIONS, copyRuntimeWasm } from './cliBuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cache = join(root, 'node_modules/.cache/subliminal-workers');
const built = new Map<string, URL>();

/** A fingerprint of every source file (path, size, time) and of the installed packages. */
function sourceKey(): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        const { size, mtimeMs } = statSync(path);
        hash.update(`${relative(root, path)} ${size} ${mtimeMs}\n`);
      }
    }
  };
  visit(join(root, 'src'));
  for (const file of ['package-lock.json', 'package.json'].map((name) => join(root, name)).filter(existsSync))
    hash.update(`${file} ${statSync(file).mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Older builds of worker `name`, an hour untouched: left by edited sources. */
function dropStale(name: string, current: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry);
    if (path !== current && entry.startsWith(`${name}-`) && statSync(path).mtimeMs < hourAgo)
      rmSync(path, { recursive: true, force: true });
  }
}

/**
 * `module` (a worker's TypeScript entry in src/) compiled, with the wasm files it loads beside it:
 * its URL. Built into a folder of its own and renamed into place, so runs started side by side
 * never read a half-written one.
 */
export function compiledWorker(module: URL): URL {
  const known = built.get(module.href);
  if (known) return known;
  const source = fileURLToPath(module);
  const name = basename(source, '.ts');
  const dir = join(cache, `${name}-${sourceKey()}`);
  if (!existsSync(join(dir, `${name}.mjs`))) {
    const partial = `${dir}.${process.pid}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    buildSync({ ...CLI_BUILD_OPTIONS, entryPoints: { [name]: source }, outdir: partial });
    copyRuntimeWasm(root, partial);
    try {
      renameSync(partial, dir);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another run put it there first
    }
    dropStale(name, dir);
  }
  const url = pathToFileURL(join(dir, `${name}.mjs`));
  built.set(module.href, url);
  return url;
}
