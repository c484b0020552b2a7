/**
 * The recorded default run that ships with the page (public/recorded/, made by
 * scripts/record-run.ts with this project's own engine): something to replay before any run of
 * one's own. Fetched only when asked for, so a first visit does not pay for it.
 */
import { restoredRun, type KeptRun } from '../state/runState';
import type { ReplaySource } from './replayFrame';

export const RECORDED_PATH = 'recorded/quick.json';

/** The file as scripts/record-run.ts writes it. */
export interface Recording {
  /** ISO date of the recording. */
  recordedAt: string;
  /** The machine and backend it ran on, in words. */
  machine: string;
  /** The command that made it. */
  command: string;
  run: Omit<KeptRun, 'ranAt'>;
}

/** "a run recorded 2 Dec 2026 on a 2-core AMD EPYC (wasm × 2 threads), quick preset". */
export function recordingLabel(recording: Recording): string {
  const day = new Date(recording.recordedAt).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  return `a run recorded ${day} on ${recording.machine}`;
}

/** The recording as something to replay; throws with a plain reason when it cannot be read. */
export function recordingSource(recording: Recording): ReplaySource {
  const run: KeptRun = { ...recording.run, ranAt: Date.parse(recording.recordedAt) };
  if (!run.result?.conditions || !run.result.curves || Number.isNaN(run.ranAt))
    throw new Error('the recorded run is not in the expected form');
  restoredRun(run); // fails here, not mid-replay, on a record it cannot show
  return { run, label: recordingLabel(recording) };
}

export async function loadRecording(base = document.baseURI): Promise<ReplaySource> {
  const url = new URL(RECORDED_PATH, base).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the recorded run could not be loaded (${response.status} from ${url})`);
  return recordingSource((await response.json()) as Recording);
}
