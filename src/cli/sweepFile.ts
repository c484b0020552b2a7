/**
 * A sweep's `--out` file, rewritten after every finished value so that Ctrl-C or a failure keeps
 * what finished. It is the page's sweep JSON (SweepResult) with `complete` added, and, when the
 * sweep stopped early, where and why.
 */
import type { ExperimentConfig } from '../experiment/config';
import type { SweepPlan, SweepPoint, SweepResult } from '../experiment/sweep/sweep';
import { reasonOf, writeAtomic } from './outFile';

export interface SweepFile extends SweepResult {
  /** True once every value has a point; until then `points` holds the values finished so far. */
  complete: boolean;
  /** The value the sweep stopped at, and why; absent while it runs and when it completes. */
  stopped?: { value: string; reason: string };
}

export function sweepFile(
  base: ExperimentConfig,
  plan: Pick<SweepPlan, 'setting' | 'values'>,
  points: SweepPoint[],
  seconds: number,
  stopped?: SweepFile['stopped'],
): SweepFile {
  const file: SweepFile = {
    kind: 'sweep',
    setting: plan.setting,
    values: plan.values,
    base,
    points,
    seconds,
    complete: points.length === plan.values.length,
  };
  return stopped ? { ...file, stopped } : file;
}

/** Writes the file; a failed write is said and the sweep goes on (the next value tries again). */
export function saveSweep(path: string, file: SweepFile): boolean {
  try {
    writeAtomic(path, JSON.stringify(file, null, 2));
    return true;
  } catch (error) {
    console.error(`warning: could not write ${path} (${reasonOf(error)}); trying again after the next value`);
    return false;
  }
}

/** The line a stopped sweep ends with: what the file holds now. */
export function keptLine(path: string | null, kept: number, total: number): string {
  if (path === null) return `${kept} of ${total} values had finished; none were written (no --out)`;
  if (kept === 0) return `no value had finished; ${path} was not written`;
  return `kept ${kept} of ${total} values in ${path}`;
}
