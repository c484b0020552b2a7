/** What a run tells as it goes: its phases, progress, curve points, pictures and how it ends. */
import type { CurvePoint, DrawModel, ExperimentResult, ModelWeights, TheoremResult, TrainingPhase } from './results';

export type Phase = 'prepare' | TrainingPhase | 'evaluate' | 'theorem';

/**
 * A run split into groups of models trained one after another (a device that cannot hold them
 * all): which group the events are of, so the narration can say so and never seem to go back.
 */
export interface ModelGroupAt {
  index: number;
  count: number;
}

/** The order a run goes through its phases (the narration never goes back in it). */
export const PHASE_ORDER: readonly Phase[] = ['prepare', 'teacher', 'distill', 'evaluate', 'theorem'];

export type RunEvent =
  | { type: 'phase'; phase: Phase; message: string; totalSteps: number; group?: ModelGroupAt }
  | {
      type: 'progress';
      group?: ModelGroupAt;
      phase: Phase;
      step: number;
      totalSteps: number;
      stepsPerSecond: number;
      /** Whole run, 0–1, weighted by the arithmetic each phase costs. */
      fraction: number;
      secondsLeft: number | null;
    }
  | { type: 'metrics'; phase: TrainingPhase; point: CurvePoint }
  /** The first test digits (raw 0–255 pixels, 784 each) that the pictures follow, once per run. */
  | { type: 'digits'; images: number[][]; labels: number[] }
  /**
   * After the teacher has learnt: a few of model 0's noise images ([-1, 1] pixels) and the softmax
   * of its teacher's auxiliary logits on each, the signal its students will imitate.
   */
  | { type: 'noise'; images: number[][]; auxProbabilities: number[][] }
  /** The one-step experiment's result (runs measured with `alignment`, after the evaluation). */
  | { type: 'theorem'; result: TheoremResult }
  /**
   * Model 0's parameters, for reading a drawn digit: the teacher's after each teacher curve point,
   * the aux-only students' after each curve point of the (first) distillation, and all three once
   * more after training. Only the run or chunk that holds model 0 sends it.
   */
  | { type: 'weights'; phase: TrainingPhase; weights: Partial<Record<DrawModel, ModelWeights>> }
  /**
   * The six conditions are measured on the test set: the result as it will be, but for the "why"
   * measurements (theorem) and a chain's later generations, which follow. The page can say "final"
   * and keep the run from here on.
   */
  | { type: 'evaluated'; result: ExperimentResult }
  /** The run waits (between two steps, or at a stage the page asked to stop at) until told to go on. */
  | { type: 'paused'; phase: Phase; atStage: boolean }
  | { type: 'finished'; result: ExperimentResult }
  | { type: 'failed'; phase: Phase; reason: string }
  | { type: 'cancelled'; phase: Phase; step: number };

/** A run's last event: exactly one of these ends every run. */
export type RunEnd = Extract<RunEvent, { type: 'finished' | 'failed' | 'cancelled' }>;

export const isRunEnd = (event: RunEvent): event is RunEnd =>
  event.type === 'finished' || event.type === 'failed' || event.type === 'cancelled';
