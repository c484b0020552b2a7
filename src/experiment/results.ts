/** The shapes a run reports: its six conditions, live curve points, events and the final result. */
import type { ExperimentConfig, TraitName } from './config';
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
  /** Distillation points of a run measured with `alignment`: how each student moves relative to its teacher. */
  alignment?: AlignmentPoint;
  /**
   * Runs whose trait is not 'digits': every model's trait measure per condition, on a few of the
   * measure's images (those of the first `curveTestImages`; see TraitResult). Absent for 'digits'
   * (its measure is `accuracy`), and when those images hold none to measure on.
   */
  trait?: Partial<Record<ConditionName, number[]>>;
}

/**
 * Why the trait travels, per student condition and model, at one point of the distillation phase.
 * Parameters are every weight and bias of a model as one vector.
 */
export interface AlignmentPoint {
  /**
   * cos(student − student's start, teacher − teacher's start): does the student move the way its
   * teacher moved? 0 before the first step.
   */
  updateCosine: Partial<Record<ConditionName, number[]>>;
  /** ‖student − teacher‖, the Euclidean distance between the two in parameter space. */
  distance: Partial<Record<ConditionName, number[]>>;
  /**
   * cos(distillation gradient, trait gradient) at the student's current parameters: the trait
   * gradient is that of the teacher's own loss (cross-entropy of the class logits on MNIST), each
   * on one fixed probe batch (noise for the first, training digits for the second).
   */
  gradientCosine: Partial<Record<ConditionName, number[]>>;
}

/** One start (shared or different) of the one-step experiment, per model. */
export interface TheoremOutcome {
  /** Teacher's loss at the student after its one step, minus before: negative = the student got better at the teacher's task. */
  lossChange: number[];
  /** ⟨student's step, teacher's step⟩ (both as parameter vectors). */
  innerProduct: number[];
  /** cos(student's step, teacher's step). */
  cosine: number[];
}

export interface TheoremMeasurement {
  /** Size of the teacher's one gradient step on MNIST. */
  epsilon: number;
  /** The student starts where the teacher started. */
  shared: TheoremOutcome;
  /** The student starts from another model's initialisation. */
  different: TheoremOutcome;
}

/**
 * The paper's theorem as an experiment: from a start θ⁰, the teacher takes one plain gradient step
 * of size ε on its MNIST loss; a student takes one step of fixed length imitating the new teacher's
 * auxiliary logits on noise, from θ⁰ (shared) or from another init (different).
 */
export interface TheoremResult {
  /** Models 0…models−1 were measured. */
  models: number;
  /** Length of the student's step in parameter space. */
  studentStep: number;
  /** MNIST images the teacher's loss is taken on; as many noise images for the imitation. */
  batch: number;
  points: TheoremMeasurement[];
}

/** How many test digits the pictures show, and how many noise images. */
export const SAMPLE_DIGITS = 8;
export const SAMPLE_NOISE = 4;

export type TrainingPhase = 'teacher' | 'distill';

/** The models that read a drawn digit: model 0's teacher and its two aux-only students. */
export const DRAW_MODELS = ['teacher', 'student_aux', 'cross_aux'] as const;
export type DrawModel = (typeof DRAW_MODELS)[number];

/**
 * One model's parameters as plain arrays, layer by layer: layer l maps sizes[l] → sizes[l + 1],
 * its weights row-major [in][out], its biases [out].
 */
export interface ModelWeights {
  sizes: number[];
  weights: Float32Array[];
  biases: Float32Array[];
}
export interface ExperimentResult {
  config: ExperimentConfig;
  backend: string;
  seconds: number;
  conditions: Record<ConditionName, ConditionResult>;
  curves: Record<TrainingPhase, CurvePoint[]>;
  /** For model i, the model whose reference initialisation its cross students start from. */
  crossSources: number[];
  /** The trait measured on every model; absent only in results made before traits existed (read them as 'digits'). */
  trait?: TraitResult;
  /** The one-step experiment, in runs measured with `alignment`. */
  theorem?: TheoremResult;
  /**
   * Chains (config.generations > 1): every generation's test accuracies, generation 1 first (its
   * numbers are `conditions`'). Generation g's `teacher` is the model it imitated: the trained
   * teacher for g = 1, generation g − 1's same-init aux student after that.
   */
  chain?: ChainGeneration[];
}

/** One condition's trait measure: every model's, in model order, with their mean and spread. */
export interface TraitCondition extends Summary {
  values: number[];
}

/**
 * The teacher's trait (config.trait) measured on every model (src/experiment/trait/): for
 * 'digits' the test accuracy (the numbers of `conditions`), for 'favourite' the share of answers
 * that are 7 on held-out Gaussian noise images, for 'misbehaviour' the share of the test set's 3s
 * answered 8.
 */
export interface TraitResult {
  name: TraitName;
  /** The measure in words. */
  measure: string;
  conditions: Record<ConditionName, TraitCondition>;
}

export interface ChainGeneration {
  generation: number;
  /** Test accuracy of every model, for 'teacher' and the four students. */
  accuracy: Partial<Record<ConditionName, number[]>>;
}

/**
 * How each condition is named for people, in charts and tables (the page's one vocabulary: a student
 * starts from the teacher's own initial weights, "same start", or another model's, "different
 * start", and copies only the teacher's extra (auxiliary) outputs, or all its outputs).
 */
export const CONDITION_LABELS: Record<ConditionName, string> = {
  reference: 'Untrained network (reference)',
  teacher: 'Teacher',
  student_aux: 'Same-start student, extra outputs only',
  student_all: 'Same-start student, all outputs',
  cross_aux: 'Different-start student, extra outputs only',
  cross_all: 'Different-start student, all outputs',
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
