/**
 * The lecturer's pause: a run waits between two steps when asked to, or by itself when it reaches a
 * stage it was told to stop at (the students' phase: the teacher has learnt; the test: the
 * students have learnt), until resumed. Each stage stops the run once. Time spent waiting is not
 * the run's: it is handed back so the clock can leave it out of speeds and time left.
 */
import type { Phase } from '../events';

/** The phases a run can stop in front of: after the teacher, after the students. */
export type Stage = Extract<Phase, 'distill' | 'evaluate'>;
export const STAGES: readonly Stage[] = ['distill', 'evaluate'];

export class PauseGate {
  private asked = false;
  private readonly stops: Set<Stage>;
  private wake: (() => void) | null = null;
  private readonly listeners = new Set<(paused: boolean) => void>();

  constructor(stopAt: readonly Stage[] = []) {
    this.stops = new Set(stopAt);
  }

  get paused(): boolean {
    return this.asked;
  }

  /** Hears every pause and resume (the pool passes them on to its workers). */
  onChange(listener: (paused: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pause(): void {
    if (this.asked) return;
    this.asked = true;
    this.listeners.forEach((listener) => listener(true));
  }

  resume(): void {
    if (!this.asked) return;
    this.asked = false;
    this.wake?.();
    this.wake = null;
    this.listeners.forEach((listener) => listener(false));
  }

  /** The stages this gate will still stop at (each part of a run gets its own gate with them). */
  stages(): Stage[] {
    return [...this.stops];
  }

  /** True (once) when the run should stop in front of `stage`; the gate is then paused. */
  stopsAt(stage: Stage): boolean {
    if (!this.stops.delete(stage)) return false;
    this.pause();
    return true;
  }

  /**
   * Waits while paused, or until `signal` aborts (a cancel must not wait for a resume);
   * resolves with the milliseconds waited.
   */
  async wait(signal?: AbortSignal): Promise<number> {
    if (!this.asked || signal?.aborted) return 0;
    const since = performance.now();
    await new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        done();
      };
      signal?.addEventListener('abort', done, { once: true });
    });
    return performance.now() - since;
  }
}
