/**
 * How far along a run is: its clock (work done out of the whole run's work), the progress event
 * every phase reports through, and the cancel check between steps.
 */
import { teacherSetSize } from '../trait/teacherSet';
import type { ExperimentConfig } from '../config';
import { STUDENT_CONDITIONS, type TrainingPhase } from '../results';
import { type Phase, type RunEvent } from '../events';
import { theoremWork, type TheoremSettings } from '../why/theorem';
import type { PauseGate, Stage } from './pause';

/** Shared between the phases of one run, to weigh progress across phases. */
export interface RunClock {
  startedAt: number;
  totalWork: number;
  workDone: number;
  progressIntervalMs: number;
  signal?: AbortSignal;
  /** The lecturer's pause (RunOptions.pause). */
  pause?: PauseGate;
}

export class Cancelled extends Error {
  constructor(readonly step: number) {
    super('cancelled');
  }
}

/** Stops the run before its next step once the signal is aborted; `step`: steps the phase has done. */
export function throwIfCancelled(clock: RunClock, step: number): void {
  if (clock.signal?.aborted) throw new Cancelled(step);
}

/**
 * Waits while the run is paused (a cancel ends the wait); the time waited is left out of the
 * run's clock. Returns the milliseconds waited, so a phase can leave them out of its rate too.
 */
export async function waitIfPaused(clock: RunClock, step: number): Promise<number> {
  if (!clock.pause?.paused) return 0;
  const waited = await clock.pause.wait(clock.signal);
  clock.startedAt += waited;
  throwIfCancelled(clock, step);
  return waited;
}

/** Stops the run in front of `stage` when the page asked for it: says so, then waits to be resumed. */
export async function* stageStop(clock: RunClock, stage: Stage): AsyncGenerator<RunEvent, void, void> {
  if (!clock.pause?.stopsAt(stage)) return;
  yield { type: 'paused', phase: stage, atStage: true };
  await waitIfPaused(clock, 0);
}

/** Forward + backward ≈ 3 forward passes; distillation adds the teacher's forward pass. */
export const PASSES: Record<TrainingPhase, number> = { teacher: 3, distill: 4 };

/** Liminal training: one forward pass of each student's frozen start while its window is open. */
function liminalWork(config: ExperimentConfig, models: number): number {
  if (config.mitigation !== 'liminal' || config.liminalWeight === 0) return 0;
  const epochs = Math.min(config.liminalWindow, config.studentEpochs);
  return STUDENT_CONDITIONS.length * models * epochs * config.noiseImages * config.generations;
}

/** The whole run's arithmetic in model-samples (a forward pass of one model on one image = 1). */
export function runWork(config: ExperimentConfig, models: number, theorem: TheoremSettings | null): number {
  const mitigation = config.mitigation === 'project';
  return (
    // The teacher's set: MNIST plus the trait's own images (favourite adds one per ten).
    PASSES.teacher * models * config.teacherEpochs * teacherSetSize(config) +
    (PASSES.distill + (mitigation ? PASSES.teacher : 0)) *
      STUDENT_CONDITIONS.length *
      models *
      config.studentEpochs *
      config.noiseImages *
      config.generations +
    liminalWork(config, models) +
    (theorem ? theoremWork(theorem) : 0)
  );
}

/**
 * The progress event at `now`, `step` of `totalSteps` into a phase that began at `phaseStart`:
 * the phase's rate, and the whole run's fraction and time left from the work done so far.
 */
export function progressEvent(
  clock: RunClock,
  at: { phase: Phase; step: number; totalSteps: number; phaseStart: number; now: number },
): Extract<RunEvent, { type: 'progress' }> {
  const rate = clock.workDone / ((at.now - clock.startedAt) / 1000);
  return {
    type: 'progress',
    phase: at.phase,
    step: at.step,
    totalSteps: at.totalSteps,
    stepsPerSecond: at.step / Math.max(1e-9, (at.now - at.phaseStart) / 1000),
    fraction: Math.min(1, clock.workDone / clock.totalWork),
    secondsLeft: rate > 0 ? Math.max(0, clock.totalWork - clock.workDone) / rate : null,
  };
}
