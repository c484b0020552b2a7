/**
 * The `--out` file: checked before anything loads or trains (a bad path found after an hour's run
 * loses the run), and written atomically (a temporary file beside it, then a rename), so a run that
 * fails or is interrupted never leaves a half-written file or touches an earlier one.
 */
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeError } from '../base/describeError';

/** The file calls of the up-front probe; tests pass failing ones. */
export interface ProbeFs {
  openSync: (path: string, flags: string) => number;
  writeSync: (fd: number, data: Uint8Array) => number;
  fsyncSync: (fd: number) => void;
  closeSync: (fd: number) => void;
  unlinkSync: (path: string) => void;
}

const NODE_PROBE_FS: ProbeFs = { openSync, writeSync, fsyncSync, closeSync, unlinkSync };

/**
 * What the probe writes and syncs: creating an empty file succeeds on a full disk (inodes are
 * left), writing does not, and the sync makes a disk that defers allocation say so now. About the
 * size of a small run's result; a larger one that still does not fit falls back (keepResult.ts).
 */
export const PROBE_BYTES = 1 << 20;

/** Why `--out PATH` cannot be written, as a message naming the flag and the path; null when it can. */
export function outPathProblem(path: string, fs: ProbeFs = NODE_PROBE_FS): string | null {
  const refuse = (reason: string) => `--out ${JSON.stringify(path)}: ${reason}`;
  if (path.trim() === '') return refuse('is empty; give a file name such as results.json');
  const target = resolve(path);
  const existing = statOrNull(target);
  if (existing?.isDirectory()) return refuse('is a directory; give a file name inside it, such as results.json');
  // A device or a pipe (/dev/null, /dev/stdout) is written straight to: renaming over it would replace it.
  if (existing && !existing.isFile())
    return writable(target) ? null : refuse('exists, is not a regular file and is not writable');
  // The rename would replace a file someone made read-only to keep it.
  if (existing && !writable(target)) return refuse('exists and is read-only');
  const directory = dirname(writeTarget(target));
  const parent = statOrNull(directory);
  if (!parent) return refuse(`its directory ${directory} does not exist`);
  if (!parent.isDirectory()) return refuse(`${directory} is not a directory`);
  // Permission bits do not tell the whole story (root, read-only mounts, ACLs): try it.
  const probe = temporaryName(directory, 'probe');
  let fd: number;
  try {
    fd = fs.openSync(probe, 'wx');
  } catch (error) {
    return refuse(`cannot create a file in ${directory} (${reasonOf(error)})`);
  }
  try {
    // A nearly full disk takes part of a write and says so only by the count: write until all is in.
    const bytes = new Uint8Array(PROBE_BYTES);
    for (let done = 0; done < bytes.length;) {
      const wrote = fs.writeSync(fd, bytes.subarray(done));
      if (wrote <= 0) throw Object.assign(new Error('nothing written'), { code: 'ENOSPC' });
      done += wrote;
    }
    fs.fsyncSync(fd);
  } catch (error) {
    return refuse(`cannot write a file in ${directory} (${reasonOf(error)})`);
  } finally {
    for (const cleanUp of [() => fs.closeSync(fd), () => fs.unlinkSync(probe)]) {
      try {
        cleanUp();
      } catch {
        // Best effort: the answer is already known.
      }
    }
  }
  return null;
}

/** Writes `text` to `path` whole or not at all: a temporary file in the same directory, renamed over it. */
export function writeAtomic(path: string, text: string): void {
  const target = writeTarget(resolve(path));
  if (statOrNull(target)?.isFile() === false) {
    writeFileSync(target, text);
    return;
  }
  const temporary = temporaryName(dirname(target), basename(target));
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    renameSync(temporary, target);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created, or already renamed: nothing to clean up.
    }
    throw error;
  }
}

/** A link is followed, so the rename replaces the file it points to and not the link. */
function writeTarget(target: string): string {
  try {
    return lstatSync(target).isSymbolicLink() ? realpathSync(target) : target;
  } catch {
    return target;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Hidden, and unique to this process, so two runs writing beside each other never collide. */
function temporaryName(directory: string, stem: string): string {
  return join(directory, `.${stem}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

const REASONS: Record<string, string> = {
  ENOENT: 'its directory no longer exists',
  ENOTDIR: 'its directory is no longer a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** Why a file call failed, in words and its code, never naming the temporary file it was at. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code) return REASONS[code] ? `${REASONS[code]}, ${code}` : code;
  return describeError(error);
}
