/**
 * Under the `tsx` command (`npm run experiment`, `npx tsx src/cli/experiment.ts`), tsx relays
 * Ctrl-C to the script and, unless the script's event loop acknowledges it within about 60 ms,
 * kills it with SIGKILL: a run busy training dies before it can write what finished. So under tsx
 * this process only relays: it starts the same command in a child (tsx's loader, not its command)
 * and stays idle, so it answers tsx at once; the child does the work and gets every stop signal.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { STOP_SIGNALS, WATCH_PARENT_ENV, onStop } from './stopSignals';

/** tsx's loader when this process runs under the tsx command (its preflight is loaded too); else null. */
export function tsxCommandLoader(execArgv: readonly string[] = process.execArgv): string | null {
  const preflight = execArgv.findIndex(
    (arg, i) => execArgv[i - 1] === '--require' && /tsx[\\/]dist[\\/]preflight\.c?js$/.test(arg),
  );
  if (preflight < 0) return null;
  const loader = execArgv.findIndex((arg, i) => execArgv[i - 1] === '--import' && /tsx/.test(arg));
  return loader < 0 ? null : execArgv[loader];
}

/** Runs `script` with `args` in a child under `loader`, relaying stop signals; its exit code. */
export function relay(loader: string, script: string, args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', loader, script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [WATCH_PARENT_ENV]: '1' },
  });
  // From a terminal the child has the signal already (same process group); sent to this process
  // alone it has not. Twice is harmless: the child stops once.
  const release = onStop((why) => {
    const signal = STOP_SIGNALS.find((name) => name === why) ?? 'SIGTERM';
    child.kill(signal);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      release();
      console.error(`error: could not start the run: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      release();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
