/**
 * The last write of a run: its result to `--out`, and when that fails (a disk filled during the
 * run, the directory removed), to a fallback file, first in the OS temp directory, then in the
 * current one, and as a last resort to stdout as JSON. A finished result is never lost, and where
 * it went is said plainly.
 */
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { reasonOf, writeAtomic } from './outFile';

export interface KeepIo {
  write: (path: string, text: string) => void;
  /** Directories to try, in order, when --out cannot be written. */
  fallbackDirs: () => string[];
  stdout: (text: string) => void;
}

export const NODE_KEEP_IO: KeepIo = {
  write: writeAtomic,
  fallbackDirs: () => [...new Set([tmpdir(), process.cwd()])],
  stdout: (text) => process.stdout.write(`${text}\n`),
};

export type Kept =
  | { where: 'out'; path: string }
  | { where: 'fallback'; path: string; reason: string }
  | { where: 'stdout'; reason: string; tried: string[] };

/** "results-2025-01-31T12-00-00-1234.json": the --out name, when and which process, so none collide. */
export function fallbackName(out: string, now = new Date(), pid = process.pid): string {
  const name = basename(resolve(out));
  const extension = extname(name) || '.json';
  const stem = (extname(name) ? name.slice(0, -extname(name).length) : name) || 'results';
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll(':', '-');
  return `${stem}-${stamp}-${pid}${extension}`;
}

export function keepResult(out: string, text: string, io: KeepIo = NODE_KEEP_IO): Kept {
  try {
    io.write(out, text);
    return { where: 'out', path: out };
  } catch (error) {
    const reason = reasonOf(error);
    const tried: string[] = [];
    for (const directory of io.fallbackDirs()) {
      const path = join(directory, fallbackName(out));
      tried.push(path);
      try {
        io.write(path, text);
        return { where: 'fallback', path, reason };
      } catch {
        // The next directory, then stdout.
      }
    }
    io.stdout(text);
    return { where: 'stdout', reason, tried };
  }
}

/** What happened to the result, as the line (or lines) the command ends with. */
export function keptMessage(out: string, kept: Kept, what = 'results'): string {
  if (kept.where === 'out') return `${what} written to ${out}`;
  const failed = `error: could not write ${out} (${kept.reason})`;
  if (kept.where === 'fallback') return `${failed}; ${what} were written to ${kept.path} instead`;
  return `${failed}, nor ${kept.tried.join(' or ')}; ${what} are on stdout above, as JSON`;
}
