/**
 * How a run hears that it should stop: Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP),
 * each as often as they come (through `npm run` one keypress can arrive more than once), and the
 * command that started it ending without telling it (SIGINT sent to npm alone: npm exits, the run
 * would go on, orphaned). Either way the run is cancelled, so a sweep writes what finished.
 */
import { readFileSync } from 'node:fs';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Set by the relay (tsxRelay.ts) for the run it starts: its parent is part of the command. */
export const WATCH_PARENT_ENV = 'SUBLIMINAL_WATCH_PARENT';

/** How often the launcher is looked at: a run orphaned by npm stops within about this long. */
const WATCH_MS = 250;

/** A process's parent and environment, read from /proc (Linux); null where that is not possible. */
export interface ProcReader {
  parentOf: (pid: number) => number | null;
  hasNpmEnv: (pid: number) => boolean;
}

const PROC: ProcReader = {
  parentOf(pid) {
    try {
      // "pid (comm) state ppid …": the name may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
    } catch {
      return null;
    }
  },
  hasNpmEnv(pid) {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1')
        .split('\0')
        .some((v) => v.startsWith('npm_lifecycle_event='));
    } catch {
      return false;
    }
  },
};

/**
 * The processes whose end means the command has ended: under `npm run` or `npx`, the npm process
 * (the first ancestor outside npm's script environment) and the parent; under the relay, the
 * parent. Empty when started from a shell: a run left behind on purpose (`&`, disown) goes on.
 */
export function launchers(
  env: NodeJS.ProcessEnv = process.env,
  ppid = process.ppid,
  proc: ProcReader = PROC,
): number[] {
  const watched = new Set<number>();
  if (env[WATCH_PARENT_ENV] === '1') watched.add(ppid);
  if (env.npm_lifecycle_event !== undefined) {
    watched.add(ppid);
    let pid: number | null = ppid;
    // npm sets npm_lifecycle_event for its script and everything below it, not for itself.
    for (let depth = 0; pid !== null && depth < 16 && proc.hasNpmEnv(pid); depth++) pid = proc.parentOf(pid);
    if (pid !== null && pid > 1) watched.add(pid);
  }
  return [...watched];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else (a reused pid would too, but not within seconds).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `stop` with why, on every stop signal and once when a launcher is gone; returns the undo. */
export function onStop(stop: (why: string) => void, watched: number[] = launchers()): () => void {
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => stop(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const ppid = process.ppid;
  const timer =
    watched.length === 0
      ? null
      : setInterval(() => {
          const gone =
            watched.find((pid) => !alive(pid)) ?? (watched.includes(ppid) && process.ppid !== ppid ? ppid : null);
          if (gone === null) return;
          clearInterval(timer!);
          stop(`the command that started this run (process ${gone}) has ended`);
        }, WATCH_MS);
  // The watch alone never keeps the process alive.
  timer?.unref();
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    if (timer) clearInterval(timer);
  };
}
