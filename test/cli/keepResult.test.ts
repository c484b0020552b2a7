/** A finished result is never lost: --out, else a named fallback file, else stdout; and the up-front probe writes. */
import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fallbackName, keepResult, keptMessage, type KeepIo } from '../../src/cli/keepResult';
import { outPathProblem, PROBE_BYTES, writeAtomic, type ProbeFs } from '../../src/cli/outFile';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keep-result-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, write '${path}'`), { code });
}

/** A writer that fails with `code` for the paths `fails` picks, and records what it wrote. */
function fakeIo(fails: (path: string) => boolean, code = 'ENOSPC') {
  const written = new Map<string, string>();
  const printed: string[] = [];
  const io: KeepIo = {
    write: (path, text) => {
      if (fails(path)) throw errno(code, `${path}.hidden.tmp`);
      written.set(path, text);
    },
    fallbackDirs: () => ['/fallback/tmp', '/fallback/cwd'],
    stdout: (text) => printed.push(text),
  };
  return { io, written, printed };
}

describe('keepResult', () => {
  it('writes --out when it can', () => {
    const { io, written } = fakeIo(() => false);
    expect(keepResult('r.json', '{}', io)).toEqual({ where: 'out', path: 'r.json' });
    expect([...written]).toEqual([['r.json', '{}']]);
  });

  it('on a full disk, writes the same text to a named file in the first fallback directory, and says so', () => {
    const { io, written, printed } = fakeIo((path) => path === '/data/r.json');
    const kept = keepResult('/data/r.json', '{"x":1}', io);
    expect(kept).toMatchObject({ where: 'fallback', reason: 'no space left on the device, ENOSPC' });
    const path = kept.where === 'fallback' ? kept.path : '';
    expect(path).toMatch(/^\/fallback\/tmp\/r-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d+\.json$/);
    expect(written.get(path)).toBe('{"x":1}');
    expect(printed).toEqual([]);
    const message = keptMessage('/data/r.json', kept);
    expect(message).toBe(
      `error: could not write /data/r.json (no space left on the device, ENOSPC); results were written to ${path} instead`,
    );
    // The hidden temporary file the failed write was at is no business of the user's.
    expect(message).not.toContain('.tmp');
  });

  it('tries the next directory, and prints the JSON when no file can be written', () => {
    const second = fakeIo((path) => !path.startsWith('/fallback/cwd'));
    expect(keepResult('r.json', '{}', second.io)).toMatchObject({ where: 'fallback' });
    expect([...second.written.keys()][0]).toMatch(/^\/fallback\/cwd\//);

    const none = fakeIo(() => true, 'EROFS');
    const kept = keepResult('r.json', '{"y":2}', none.io);
    expect(kept).toMatchObject({ where: 'stdout', reason: 'read-only file system, EROFS' });
    expect(none.printed).toEqual(['{"y":2}']);
    expect(keptMessage('r.json', kept)).toMatch(
      /^error: could not write r\.json \(read-only file system, EROFS\), nor \/fallback\/tmp\/r-.*\.json or \/fallback\/cwd\/r-.*\.json; results are on stdout above, as JSON$/,
    );
  });

  it('a real full device (/dev/full) falls back to a real file with the whole text', () => {
    const text = JSON.stringify({ accuracies: [0.5, -0.0011] });
    const kept = keepResult('/dev/full', text, {
      ...fakeIo(() => false).io,
      write: writeAtomic,
      fallbackDirs: () => [dir],
    });
    expect(kept).toMatchObject({ where: 'fallback', reason: 'no space left on the device, ENOSPC' });
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')).toBe(text);
  });

  it('a directory removed before the write: the reason names it, not the temporary file', () => {
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    rmSync(gone, { recursive: true });
    const saved = join(dir, 'saved');
    mkdirSync(saved);
    const kept = keepResult(join(gone, 'r.json'), '{}', {
      ...fakeIo(() => false).io,
      write: writeAtomic,
      fallbackDirs: () => [saved],
    });
    expect(kept).toMatchObject({ where: 'fallback', reason: 'its directory no longer exists, ENOENT' });
    expect(keptMessage(join(gone, 'r.json'), kept)).not.toContain('.tmp');
    expect(readdirSync(saved)).toHaveLength(1);
  });

  it('fallbackName keeps the name and extension, adds when and which process', () => {
    const when = new Date('2026-01-31T12:34:56.789Z');
    expect(fallbackName('out/sweep.json', when, 42)).toBe('sweep-2026-01-31T12-34-56-42.json');
    expect(fallbackName('results', when, 7)).toBe('results-2026-01-31T12-34-56-7.json');
  });
});

describe('the up-front probe writes, not only creates', () => {
  /** The real calls, except that writing fails as on a full disk. */
  function fullDisk(): ProbeFs & { unlinked: string[]; wrote: number[] } {
    const unlinked: string[] = [];
    const wrote: number[] = [];
    return {
      unlinked,
      wrote,
      openSync: (path, flags) => fs.openSync(path, flags),
      writeSync: (_fd, data) => {
        wrote.push(data.byteLength);
        throw errno('ENOSPC', 'probe');
      },
      fsyncSync: (fd) => fs.fsyncSync(fd),
      closeSync: (fd) => fs.closeSync(fd),
      unlinkSync: (path) => {
        unlinked.push(path);
        fs.unlinkSync(path);
      },
    };
  }

  it('a disk that takes a new file but not its bytes is refused, naming --out, and the probe is removed', () => {
    const probe = fullDisk();
    const path = join(dir, 'r.json');
    expect(outPathProblem(path, probe)).toBe(
      `--out ${JSON.stringify(path)}: cannot write a file in ${dir} (no space left on the device, ENOSPC)`,
    );
    expect(probe.wrote).toEqual([PROBE_BYTES]);
    expect(probe.unlinked).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(probe.unlinked[0])).toBe(false);
  });
});
