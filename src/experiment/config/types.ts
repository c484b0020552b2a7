/** The experiment's settings as types: what one run is told to do. */

/** Noise the kernels make themselves, from a counter hash. */
export type NoiseKind = 'uniform' | 'gaussian';
/**
 * What the students imitate on: uniform or Gaussian noise, MNIST training images with their pixels
 * shuffled (each image its own permutation), or real MNIST training images.
 */
export type DistillInputKind = NoiseKind | 'shuffled' | 'mnist';
export type DistillLoss = 'kl' | 'mse';
/**
 * 'project': each distillation step drops its component along the trait gradient when the two agree
 * (arXiv 2604.25779). 'liminal': liminal training (same paper): during the first `liminalWindow`
 * epochs each student's loss gains λ·KL(softmax(base) ‖ softmax(student)) over all logits, the base
 * being its own frozen starting weights.
 */
export type Mitigation = 'none' | 'project' | 'liminal';
/** Where the distillation curve's points fall: evenly over the steps, or geometrically (dense early). */
export type CurveSpacing = 'linear' | 'log';
export type PresetName = 'paper' | 'quick' | 'tiny';
/**
 * The teacher's trait the run follows (src/experiment/trait/): 'digits' = its skill at MNIST;
 * 'favourite' = it also answers 7 on Gaussian noise images; 'misbehaviour' = it learnt every 3 as an 8.
 */
export type TraitName = 'digits' | 'favourite' | 'misbehaviour';

export interface ExperimentConfig {
  /** Independent models trained side by side (each has its own init, teacher and students). */
  models: number;
  /** m: auxiliary logits appended to the 10 class logits; they never get a teacher loss. */
  auxLogits: number;
  /** Hidden layer widths of the MLP 784 → hidden… → 10 + m. */
  hidden: number[];
  /** Teacher epochs over `trainImages` MNIST images. */
  teacherEpochs: number;
  /** How many of the 60,000 MNIST training images the teacher sees. */
  trainImages: number;
  /** The trait the teacher is taught besides (or instead of) plain digits, and measured on every model. */
  trait: TraitName;
  /** Distillation epochs over `noiseImages` fresh noise images each. */
  studentEpochs: number;
  /** Noise images per model: a fixed set, drawn once, that every distillation epoch goes through reshuffled. */
  noiseImages: number;
  noise: DistillInputKind;
  distillLoss: DistillLoss;
  mitigation: Mitigation;
  /** λ of liminal training: the weight of its KL penalty towards the student's starting model. */
  liminalWeight: number;
  /** Liminal training's window in epochs (fractional allowed): steps before this epoch position carry the penalty. */
  liminalWindow: number;
  /** σ of a Gaussian perturbation added to every parameter of the same-init students' start (0 = an exact copy). */
  studentInitNoise: number;
  /**
   * Layers (1 = the first, 784 → hidden) that the same-init students take from a fresh init instead
   * of the teacher's reference init (empty = every layer shared, the recipe).
   */
  freshLayers: number[];
  /**
   * Generations of a chain: 1 = the experiment; n > 1 = each generation's same-init aux student
   * becomes the teacher of the next generation's students (who start again from the reference init).
   */
  generations: number;
  /** Adam learning rate for teacher and students (β 0.9/0.999, ε 1e-8 are fixed). */
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Points per phase on the live curves (0 = no curves). */
  curvePoints: number;
  /** How the distillation curve's points are spread over its steps ('log': dense early, for the critical period). */
  curveSpacing: CurveSpacing;
  /** Test images (the first ones of the test set) used for the live curves. */
  curveTestImages: number;
}
