/** The shapes a run reports: its six conditions, live curve points, events and the final result. */
import type { ExperimentConfig } from './config';
import type { Summary } from './stats';

export const CONDITIONS = ['reference', 'teacher', 'student_aux', 'student_all', 'cross_aux', 'cross_all'] as const;
export type ConditionName = (typeof CONDITIONS)[number];

/** The four students, in the order they sit in the student stack. */
export const STUDENT_CONDITIONS = ['student_aux', 'student_all', 'cross_aux', 'cross_all'] as const;
export type StudentCondition = (typeof STUDENT_CONDITIONS)[number];

export interface ConditionResult extends Summary {
  /** Final test accuracy of every model, in model order. */
  accuracies: number[];
}

/** One point of a live curve: per condition, every model's accuracy on the curve test subset and mean training loss since the last point. */
export interface CurvePoint {
  step: number;
  /** Epochs completed, fractional. */
  epoch: number;
  accuracy: Partial<Record<ConditionName, number[]>>;
  /** Null at step 0, before any training. */
  loss: Partial<Record<ConditionName, number[]>> | null;
  /** Model 0's predicted class for each of the sample digits (see the 'digits' event), per condition. */
  predictions: Partial<Record<ConditionName, number[]>>;
}

/** How many test digits the pictures show, and how many noise images. */
export const SAMPLE_DIGITS = 8;
export const SAMPLE_NOISE = 4;

export type TrainingPhase = 'teacher' | 'distill';
export type Phase = 'prepare' | TrainingPhase | 'evaluate';

export interface ExperimentResult {
  config: ExperimentConfig;
  backend: string;
  seconds: number;
  conditions: Record<ConditionName, ConditionResult>;
  curves: Record<TrainingPhase, CurvePoint[]>;
  /** For model i, the model whose reference initialisation its cross students start from. */
  crossSources: number[];
}

export type RunEvent =
  | { type: 'phase'; phase: Phase; message: string; totalSteps: number }
  | {
      type: 'progress';
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
  | { type: 'finished'; result: ExperimentResult }
  | { type: 'failed'; phase: Phase; reason: string }
  | { type: 'cancelled'; phase: Phase; step: number };

/** How each condition is named for people, in charts and tables. */
export const CONDITION_LABELS: Record<ConditionName, string> = {
  reference: 'Reference (untrained)',
  teacher: 'Teacher',
  student_aux: 'Student, same init, aux logits only',
  student_all: 'Student, same init, all logits',
  cross_aux: 'Student, different init, aux logits only',
  cross_all: 'Student, different init, all logits',
};

/** Mean test accuracy the paper reports for the `paper` recipe (Cloud et al. 2026, MNIST figure). */
export const PAPER_ACCURACY: Record<ConditionName, number> = {
  reference: 0.1,
  teacher: 0.94,
  student_aux: 0.54,
  student_all: 0.91,
  cross_aux: 0.1,
  cross_all: 0.74,
};
