/**
 * Nothing lost on the command line: a bad --out is refused before anything loads, an interrupted
 * run leaves an earlier file byte for byte, and Ctrl-C during a sweep keeps the values that
 * finished. The CLI runs as a child process, as a user runs it, with small configs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outPathProblem, writeAtomic } from '../../src/cli/outFile';

const SMALL = [
  '--preset',
  'tiny',
  '--models',
  '1',
  '--hidden',
  '16',
  '--train-images',
  '500',
  '--noise-images',
  '300',
  '--quiet',
];

interface Cli {
  /** Resolves with the exit code (or the signal's name) and everything written to stderr. */
  done: Promise<{ code: number | string; stderr: string }>;
  stderr: () => string;
  interrupt: () => void;
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Cli {
  return started(
    spawn(process.execPath, ['--import', 'tsx', 'src/cli/experiment.ts', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    }),
  );
}

/** `npm run experiment` in a process group of its own, as a terminal starts it; `group` is its id. */
function npmRun(args: string[]): Cli & { group: number } {
  const child = spawn('npm', ['run', 'experiment', '--', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  return { ...started(child), group: child.pid! };
}

function started(child: ChildProcessWithoutNullStreams | ReturnType<typeof spawn>): Cli {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? signal ?? 'unknown', stderr })),
  );
  return { done, stderr: () => stderr, interrupt: () => child.kill('SIGINT') };
}

/** Processes of a group that still run (zombies left to a container's init do not), read from /proc; null elsewhere. */
function runningInGroup(group: number): number[] | null {
  if (!existsSync('/proc/self/stat')) return null;
  return readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === group && state !== 'Z' ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

/** Waits (polling) until `ready` holds; fails the test if the child ends first. */
async function until(ready: () => boolean, child: Cli): Promise<void> {
  let ended = false;
  void child.done.then(() => (ended = true));
  while (!ready()) {
    if (ended) throw new Error(`the CLI ended before it was ready:\n${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-output-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('--out is checked before anything loads', () => {
  it.each([
    ['a missing directory', () => join(dir, 'missing', 'r.json'), 'does not exist'],
    ['a directory', () => dir, 'is a directory'],
    ['a directory no file can be created in', () => '/proc/r.json', 'cannot create a file in /proc'],
  ])('%s is refused with exit 2, naming --out and the path', async (_, path, reason) => {
    const { code, stderr } = await cli([...SMALL, '--out', path()]).done;
    expect(code).toBe(2);
    const first = stderr.split('\n')[0];
    expect(first).toContain('--out');
    expect(first).toContain(JSON.stringify(path()));
    expect(first).toContain(reason);
    // Refused before the backend started or MNIST loaded: no line of the run was printed.
    expect(stderr).not.toContain('backend:');
    expect(stderr).not.toMatch(/models in/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('outPathProblem accepts a new file in a writable directory and leaves no probe behind', () => {
    expect(outPathProblem(join(dir, 'r.json'))).toBeNull();
    expect(outPathProblem('')).toContain('empty');
    const kept = join(dir, 'kept.json');
    writeFileSync(kept, 'kept', { mode: 0o444 });
    // Root may write anywhere, so the read-only refusal is only observable as another user.
    if (process.getuid?.() !== 0) expect(outPathProblem(kept)).toContain('read-only');
    rmSync(kept);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writing', () => {
  it('writeAtomic replaces the file whole and leaves no temporary file', () => {
    const path = join(dir, 'r.json');
    writeFileSync(path, 'earlier');
    writeAtomic(path, '{"new":true}');
    expect(readFileSync(path, 'utf8')).toBe('{"new":true}');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('a run interrupted with Ctrl-C leaves an earlier file at --out byte-identical', async () => {
    const path = join(dir, 'results.json');
    const earlier = Buffer.from('{"earlier": "run", "bytes": [1, 2, 3]}\n');
    writeFileSync(path, earlier);
    // Enough teacher epochs that the run is still training when the signal comes.
    const child = cli([...SMALL, '--teacher-epochs', '5', '--out', path]);
    await until(() => /models in/.test(child.stderr()), child);
    child.interrupt();
    const { code, stderr } = await child.done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/cancelled during \w+ at step \d+; nothing was written/);
    expect(readFileSync(path).equals(earlier)).toBe(true);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});

describe('a sweep keeps what finished', () => {
  it('Ctrl-C after the first value leaves a valid file with the finished values, and says so', async () => {
    const path = join(dir, 'sweep.json');
    // Eight values of a fraction of a second each: the interrupt lands long before the last, even on a busy machine.
    const values = ['1', '2', '3', '4', '5', '6', '7', '8'];
    const child = cli([...SMALL, '--sweep', `m=${values.join(',')}`, '--out', path]);
    await until(() => existsSync(path), child);
    child.interrupt();
    const { code, stderr } = await child.done;
    expect(code).toBe(130);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file).toMatchObject({ kind: 'sweep', setting: 'auxLogits', values, complete: false });
    expect(file.points.length).toBeGreaterThanOrEqual(1);
    expect(file.points.length).toBeLessThan(values.length);
    expect(file.points.map((point: { value: string }) => point.value)).toEqual(values.slice(0, file.points.length));
    expect(file.points[0].result.conditions.student_aux.accuracies).toHaveLength(1);
    expect(file.stopped).toEqual({ value: values[file.points.length], reason: 'cancelled' });
    expect(stderr).toContain(`kept ${file.points.length} of ${values.length} values in ${path}`);
    expect(readdirSync(dir)).toEqual(['sweep.json']);
  });

  it('a finished sweep writes every value, marked complete', async () => {
    const path = join(dir, 'sweep.json');
    const { code } = await cli([...SMALL, '--sweep', 'm=1,2', '--out', path]).done;
    expect(code).toBe(0);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file).toMatchObject({ kind: 'sweep', values: ['1', '2'], complete: true });
    expect(file.points.map((point: { value: string }) => point.value)).toEqual(['1', '2']);
    expect(file.stopped).toBeUndefined();
  });
});

describe('Ctrl-C through npm run', () => {
  const values = ['1', '2', '3', '4', '5', '6', '7', '8'];

  /** Starts a sweep through npm, interrupts it once the first value is written, and checks what it kept. */
  async function interruptedThroughNpm(send: (run: ReturnType<typeof npmRun>) => void) {
    const path = join(dir, 'sweep.json');
    const run = npmRun([...SMALL, '--sweep', `m=${values.join(',')}`, '--out', path]);
    await until(() => existsSync(path), run);
    send(run);
    const { code, stderr } = await run.done;
    // npm ends itself with the signal it was sent, which a shell reports as 130.
    expect([130, 'SIGINT']).toContain(code);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.complete).toBe(false);
    expect(file.stopped).toEqual({ value: values[file.points.length], reason: 'cancelled' });
    expect(stderr).toContain(`kept ${file.points.length} of ${values.length} values in ${path}`);
    // Nothing of the command outlives it: no orphaned run to rewrite the file later.
    expect(runningInGroup(run.group) ?? []).toEqual([]);
  }

  it('SIGINT to the whole process group, as a terminal sends it, writes the stopped record', async () => {
    await interruptedThroughNpm((run) => process.kill(-run.group, 'SIGINT'));
  });

  it("SIGINT to npm's process alone does too", async () => {
    await interruptedThroughNpm((run) => process.kill(run.group, 'SIGINT'));
  });
});

describe('a finished result is never lost', () => {
  it('with the --out directory removed mid-run, the result goes to a named file in the temp directory, exit 1', async () => {
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    const fallbackDir = join(dir, 'tmp');
    mkdirSync(fallbackDir);
    const path = join(outDir, 'results.json');
    const child = cli([...SMALL, '--out', path], { ...process.env, TMPDIR: fallbackDir });
    await until(() => /models in/.test(child.stderr()), child);
    rmSync(outDir, { recursive: true });
    const { code, stderr } = await child.done;
    expect(code).toBe(1);
    const [kept] = readdirSync(fallbackDir);
    expect(kept).toMatch(/^results-.*\.json$/);
    expect(stderr).toContain(
      `error: could not write ${path} (its directory no longer exists, ENOENT); results were written to ${join(fallbackDir, kept)} instead`,
    );
    expect(stderr).not.toMatch(/\.tmp\b/);
    const result = JSON.parse(readFileSync(join(fallbackDir, kept), 'utf8'));
    expect(result.conditions.student_aux.accuracies).toHaveLength(1);
  });

  // Mounting needs root; elsewhere the probe's refusal is shown with a failing writer (keepResult.test.ts).
  const mountable = process.getuid?.() === 0 && process.platform === 'linux';
  it.skipIf(!mountable)('a full disk (a 64 KiB tmpfs) is refused before anything loads, exit 2', async (context) => {
    const mount = join(dir, 'full');
    mkdirSync(mount);
    const { execFileSync } = await import('node:child_process');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    } catch {
      context.skip(); // Root, but no mounting in this container.
    }
    try {
      const path = join(mount, 'r.json');
      const { code, stderr } = await cli([...SMALL, '--out', path]).done;
      expect(code).toBe(2);
      expect(stderr.split('\n')[0]).toBe(
        `error: --out ${JSON.stringify(path)}: cannot write a file in ${mount} (no space left on the device, ENOSPC)`,
      );
      expect(stderr).not.toContain('backend:');
      expect(readdirSync(mount)).toEqual([]);
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});

describe('signed numbers on the command line', () => {
  it("--models -1, --lr -0.1 and --seed -5 get the fields' own messages, exit 2", async () => {
    const { code, stderr } = await cli(['--models', '-1', '--lr', '-0.1', '--seed', '-5']).done;
    expect(code).toBe(2);
    expect(stderr).not.toContain('ambiguous');
    expect(stderr).toMatch(/models.*-1.*1 to 1000/);
    expect(stderr).toMatch(/learningRate.*-0\.1/);
    expect(stderr).toMatch(/seed.*-5/);
    expect(stderr).not.toContain('backend:');
  });
});
