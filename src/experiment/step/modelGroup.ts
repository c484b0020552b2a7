/**
 * A stack of models the run trains together, whatever holds them: tensors stepped by the stock
 * or WGSL kernels (group.ts, TensorGroup), or the WebAssembly SIMD kernel's own memory
 * (simd/simdGroup.ts, SimdGroup). The run's phases, the known-answer check and the benchmark
 * talk to this interface only; trainingPath.ts decides which implementation a run gets.
 */
import type * as tf from '../tf';
import type { DistillLoss } from '../config';
import type { HostParameters } from '../model/mlp';
import type { ModelWeights } from '../results';
import type { LayerInput, LossTarget } from './kernels';
import type { LiminalPenalty, TraitBatch } from './step';

export type Labels = Extract<LossTarget, { kind: 'labels' }>;

/** A teacher step: cross-entropy on the 10 class logits of training digits. */
export interface GroupTeacherStep {
  input: LayerInput;
  labels: Labels;
  learningRate: number;
}

/** A distillation step: row r of the group imitates row r of the frozen `teachers` (same implementation). */
export interface GroupDistillStep {
  teachers: ModelGroup;
  input: LayerInput;
  /** Per row: compare only the auxiliary logits (else all of them). */
  auxOnly: readonly boolean[];
  loss: DistillLoss;
  learningRate: number;
  /** The mitigation: the step's gradient loses its component along the trait gradient. */
  trait?: TraitBatch;
  /** Liminal training (step.ts): a KL penalty towards row r of `base`, each row's frozen starting model. */
  liminal?: LiminalPenalty<ModelGroup>;
}

/** The fixed batches the alignment probe takes its gradients on, one row of samples per student. */
export interface ProbeBatches {
  /** Noise the students imitate on (each student's teacher's noise). */
  noise: LayerInput;
  /** MNIST digits for the trait gradient. */
  trait: TraitBatch;
  auxOnly: readonly boolean[];
  loss: DistillLoss;
}

/** The probe's three measurements, one number per student row. */
export interface AlignmentRows {
  /** cos(student's move since its start, its teacher's move while it learnt). */
  updateCosine: number[];
  /** ‖student − teacher‖ in parameter space. */
  distance: number[];
  /** cos(imitation gradient, gradient of the teacher's task). */
  gradientCosine: number[];
}

/** The "why" measurements of a student group, made before its first step (it keeps their starts). */
export interface GroupProbe {
  measure(teachers: ModelGroup, batches: ProbeBatches): Promise<AlignmentRows>;
  dispose(): void;
}

export interface ModelGroup {
  readonly rows: number;
  /** Every row's parameters, copied to the host. */
  read(): Promise<HostParameters[]>;
  /** One row's parameters (for drawing), without reading the rest. */
  readRow(row: number): Promise<ModelWeights>;
  /** One step; each row's loss before it. Throws on a frozen group. */
  teacherStep(args: GroupTeacherStep): tf.Tensor1D;
  distillStep(args: GroupDistillStep): tf.Tensor1D;
  /** Every row's accuracy on the first `count` test images (all of them by default). */
  accuracies(count?: number): Promise<number[]>;
  /** Every row's predicted digit for each of the first `count` test images. */
  predictions(count: number): Promise<number[][]>;
  /**
   * Every row's predicted digit (argmax of the 10 class logits) for each of `images` [n × 784],
   * given on the host, pixels as the models read them: a trait's measure images.
   */
  predictionsOn(images: Float32Array): Promise<number[][]>;
  /** A probe of this (student) group against its frozen `teachers`; `teacherStarts[r]`: where row r's teacher began. */
  probe(teachers: ModelGroup, teacherStarts: readonly HostParameters[]): GroupProbe;
  dispose(): void;
}

/** The test images a tensor group evaluates on, sliced to the first `count` (all by default). */
export type TestImages = (count?: number) => { images: tf.Tensor2D; labels: tf.Tensor1D };
