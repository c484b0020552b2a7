/** How the command line hears it should stop: which processes it watches, and what it does when one ends. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { launchers, onStop, WATCH_PARENT_ENV, type ProcReader } from '../../src/cli/stopSignals';
import { tsxCommandLoader } from '../../src/cli/tsxRelay';

/** A process tree: pid → [parent, whether npm's script environment is in its env]. */
function tree(processes: Record<number, [number, boolean]>): ProcReader {
  return { parentOf: (pid) => processes[pid]?.[0] ?? null, hasNpmEnv: (pid) => processes[pid]?.[1] ?? false };
}

describe('launchers', () => {
  // npm (10) → sh (11) → tsx (12) → relay (13) → this run.
  const npmTree = tree({ 10: [9, false], 11: [10, true], 12: [11, true], 13: [12, true] });

  it('under npm: the parent and the npm process above the script', () => {
    expect(launchers({ npm_lifecycle_event: 'experiment' }, 13, npmTree)).toEqual([13, 10]);
    expect(launchers({ npm_lifecycle_event: 'npx' }, 11, npmTree)).toEqual([11, 10]);
  });

  it('under the relay: its parent; from a shell: nothing, so a run left running on purpose goes on', () => {
    expect(launchers({ [WATCH_PARENT_ENV]: '1' }, 13, npmTree)).toEqual([13]);
    expect(launchers({}, 13, npmTree)).toEqual([]);
  });
});

describe('onStop', () => {
  it('stops once when a watched process ends, saying which', async () => {
    const launcher = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 100)']);
    const reasons: string[] = [];
    await new Promise<void>((resolve) => {
      const release = onStop(
        (why) => {
          reasons.push(why);
          release();
          resolve();
        },
        [launcher.pid!],
      );
    });
    expect(reasons).toEqual([`the command that started this run (process ${launcher.pid}) has ended`]);
  });

  it('hears SIGINT, SIGTERM and SIGHUP as often as they come, and lets go of them', () => {
    const heard: string[] = [];
    const before = process.listenerCount('SIGINT');
    const release = onStop((why) => heard.push(why), []);
    for (const signal of ['SIGINT', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.emit(signal, signal);
    release();
    expect(heard).toEqual(['SIGINT', 'SIGINT', 'SIGTERM', 'SIGHUP']);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

describe('tsxCommandLoader', () => {
  it("finds tsx's loader only under the tsx command (its preflight loaded)", () => {
    const loader = 'file:///app/node_modules/tsx/dist/loader.mjs';
    expect(tsxCommandLoader(['--require', '/app/node_modules/tsx/dist/preflight.cjs', '--import', loader])).toBe(
      loader,
    );
    expect(tsxCommandLoader(['--import', 'tsx'])).toBeNull();
    expect(tsxCommandLoader(['--import', loader])).toBeNull();
  });
});
