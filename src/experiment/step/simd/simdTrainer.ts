/**
 * The CPU training path: a run's models, MNIST and every scratch buffer live in the SIMD kernel's
 * own memory (step.wasm) for the whole run, and each step is a handful of calls into it, model by
 * model: no tensors, no copies of parameters, no per-op overhead. The host passes batch indices
 * and noise seeds only. Stock tfjs kernels (stockKernels.ts) remain the reference it is tested
 * against (test/experiment/step/simd/simdTrainer.test.ts; whole groups and runs in simdGroup.test.ts
 * and simdRun.test.ts beside it).
 *
 * Same step as step.ts: forward, loss gradient, backpropagation, the optional mitigation
 * (alignment.ts's removeAlignedComponent), Adam; a model's numbers depend only on its own row.
 * This class is the public face; the work is its parts': simdScratch.ts (buffers), simdBank.ts
 * (models), simdPasses.ts (the passes), simdInputs.ts and teacherTargets.ts (what a distillation
 * row reads), simdEvaluation.ts (accuracy, predictions, logits).
 */
import type { DistillLoss } from '../../config';
import type { HostParameters } from '../../model/mlp';
import type { LayerInput } from '../kernels';
import { paddedLayout, type PaddedLayout } from './paddedLayout';
import { rowParams, SimdBank, SimdBanks, type SimdTeachers } from './simdBank';
import { SimdEvaluation } from './simdEvaluation';
import { SimdInputs } from './simdInputs';
import { SimdPasses } from './simdPasses';
import { ceil4, SimdScratch } from './simdScratch';
import { instantiateStep, type StepExports } from './stepModule';
import { TeacherTargets } from './teacherTargets';

export { SimdBank, type SimdTeachers } from './simdBank';

/**
 * MNIST as the run uses it: the teacher's training set and the whole test set, pixels in [-1, 1]
 * or raw bytes (simdScratch.ts, placeImages).
 */
export interface SimdData {
  trainPixels: Float32Array | Uint8Array;
  trainLabels: ArrayLike<number>;
  testPixels: Float32Array | Uint8Array;
  testLabels: ArrayLike<number>;
}

export interface SimdDistillArgs {
  students: SimdBank;
  teachers: SimdTeachers;
  /** 'noise' or 'images' with `host` pixels. */
  input: LayerInput;
  auxOnly: readonly boolean[];
  loss: DistillLoss;
  learningRate: number;
  /** The mitigation's digits: row r's training-image indices index[r·batch …]. */
  trait?: { index: Int32Array; batch: number };
  /** Liminal training (step.ts): a KL penalty towards row r's base model, `base.rowTeacher[r]` of `base.bank`. */
  liminal?: SimdLiminal;
}

/** Liminal training's base models (frozen, with their logits cached like teachers') and λ. */
export interface SimdLiminal {
  base: SimdTeachers;
  weight: number;
}

export class SimdTrainer {
  private readonly scratch: SimdScratch;
  private readonly banks: SimdBanks;
  private readonly passes: SimdPasses;
  private readonly inputs: SimdInputs;
  private readonly targets: TeacherTargets;
  private readonly evaluation: SimdEvaluation;

  private constructor(
    kernel: StepExports,
    readonly layout: PaddedLayout,
    batchSize: number,
    data: SimdData,
  ) {
    this.scratch = new SimdScratch(kernel, layout, batchSize);
    this.banks = new SimdBanks(this.scratch.heap, layout);
    const train = this.scratch.placeImages(data.trainPixels, data.trainLabels);
    const test = this.scratch.placeImages(data.testPixels, data.testLabels);
    this.passes = new SimdPasses(this.scratch, layout, train);
    this.inputs = new SimdInputs(this.scratch);
    this.targets = new TeacherTargets(this.scratch, layout, this.passes, this.inputs);
    this.evaluation = new SimdEvaluation(this.scratch, layout, this.passes, test);
  }

  /** A trainer for networks of `sizes` and batches up to `batchSize`, with `data` copied in once. */
  static async create(sizes: readonly number[], batchSize: number, data: SimdData): Promise<SimdTrainer> {
    return SimdTrainer.fromInstance(await instantiateStep(), sizes, batchSize, data);
  }

  /** The same on an instance already made (instantiateStep), so a run can load it before its data. */
  static fromInstance(kernel: StepExports, sizes: readonly number[], batchSize: number, data: SimdData): SimdTrainer {
    return new SimdTrainer(kernel, paddedLayout(sizes), batchSize, data);
  }

  /** Memory the kernel holds, in bytes. */
  get bytes(): number {
    return this.scratch.heap.bytes;
  }

  // -------------------------------------------------------------------------------------------
  // Models

  bank(models: readonly HostParameters[], trainable: boolean): SimdBank {
    const bank = this.banks.take(models.length, trainable);
    this.load(bank, models);
    return bank;
  }

  /** Hands a bank back: the next bank of its size and kind reuses its memory (a chain's generations). */
  release(bank: SimdBank): void {
    this.banks.release(bank);
    this.targets.forget(bank);
  }

  /** Overwrites a bank's models (Adam's moments and step restart): a chain's next generation reuses its banks. */
  load(bank: SimdBank, models: readonly HostParameters[]): void {
    this.banks.write(bank, models);
    this.passes.parametersChanged();
    this.targets.forget(bank);
  }

  read(bank: SimdBank): HostParameters[] {
    return Array.from({ length: bank.rows }, (_, row) => this.readRow(bank, row));
  }

  readRow(bank: SimdBank, row: number): HostParameters {
    return this.banks.readRow(bank, row);
  }

  /** The teachers for a distillation phase (`bank` frozen; student row r imitates rowTeacher[r]). */
  teachers(bank: SimdBank, rowTeacher: readonly number[], setSize: number): SimdTeachers {
    return { bank, rowTeacher, setSize };
  }

  // -------------------------------------------------------------------------------------------
  // Steps

  /** One teacher step (cross-entropy on the class logits); each row's loss before the step. */
  teacherStep(bank: SimdBank, index: Int32Array, batch: number, learningRate: number): Float32Array {
    if (!bank.trainable) throw new Error('cannot train a frozen bank');
    bank.step++;
    const losses = new Float32Array(bank.rows);
    for (let row = 0; row < bank.rows; row++) {
      const params = rowParams(this.layout, bank, row);
      const rowIndex = index.subarray(row * batch, (row + 1) * batch);
      losses[row] = this.passes.digitGradient(params, rowIndex, batch, this.scratch.gradient);
      this.passes.adam(bank, row, learningRate);
    }
    return losses;
  }

  /** One distillation step: row r of the students imitates its teacher on its inputs; each row's loss before the step. */
  distillStep({
    students,
    teachers,
    input,
    auxOnly,
    loss,
    learningRate,
    trait,
    liminal,
  }: SimdDistillArgs): Float32Array {
    if (!students.trainable) throw new Error('cannot train a frozen bank');
    if (input.kind === 'tensor') throw new Error('the CPU kernel takes noise or image-set inputs');
    students.step++;
    const losses = new Float32Array(students.rows);
    for (let row = 0; row < students.rows; row++) {
      const { gradient } = this.scratch;
      losses[row] = this.imitationRow(students, teachers, input, auxOnly[row], loss, row, gradient, liminal);
      if (trait) {
        this.passes.digitGradient(
          rowParams(this.layout, students, row),
          trait.index.subarray(row * trait.batch, (row + 1) * trait.batch),
          trait.batch,
          this.scratch.traitGradient,
        );
        this.passes.removeAlignedComponent();
      }
      this.passes.adam(students, row, learningRate);
    }
    return losses;
  }

  /** Row `row`'s imitation gradient on its batch of `input` (with liminal training's penalty) into `out`; its loss. */
  private imitationRow(
    students: SimdBank,
    teachers: SimdTeachers,
    input: Exclude<LayerInput, { kind: 'tensor' }>,
    auxOnly: boolean,
    loss: DistillLoss,
    row: number,
    out: number,
    liminal?: SimdLiminal,
  ): number {
    const batch = input.batch;
    const rows = ceil4(batch);
    const { x, heap, teacherLogits, baseLogits } = this.scratch;
    const params = rowParams(this.layout, students, row);
    const index = input.index.subarray(row * batch, (row + 1) * batch);
    if (liminal) {
      // The base's logits come the teachers' way (cached per input set), then move aside.
      this.targets.targets(liminal.base, input, row, index);
      const count = batch * this.passes.logitWidth;
      heap.f32(baseLogits, count).set(heap.f32(teacherLogits, count));
    }
    this.targets.targets(teachers, input, row, index);
    this.inputs.inputRows(input, row, index, x);
    this.passes.forward(params, x, rows);
    let value = this.passes.imitation(batch, rows, auxOnly, loss);
    if (liminal) value += liminal.weight * this.passes.liminalPenalty(batch, rows, liminal.weight);
    this.passes.backward(params, x, rows, out);
    return value;
  }

  // -------------------------------------------------------------------------------------------
  // Evaluation

  /** Each row's accuracy on the first `count` test images (argmax over the class logits). */
  accuracies(bank: SimdBank, count = this.evaluation.testCount): number[] {
    return this.evaluation.accuracies(bank, count);
  }

  /** Each row's predicted class of the first `n` test images. */
  predictions(bank: SimdBank, n: number): number[][] {
    return this.evaluation.predictions(bank, n);
  }

  /** Row `row`'s logits [n × (10 + m)] on images [n × 784] given on the host. */
  logitsOf(bank: SimdBank, row: number, images: Float32Array): Float32Array {
    return this.evaluation.logitsOf(bank, row, images);
  }

  // -------------------------------------------------------------------------------------------
  // Gradients for measurements (the alignment probe): padded-layout vectors on the host.

  /**
   * Row `row`'s imitation gradient on its inputs, as in a distillation step (liminal training's
   * penalty included when given), without the step.
   */
  imitationGradient(
    students: SimdBank,
    teachers: SimdTeachers,
    input: LayerInput,
    auxOnly: boolean,
    loss: DistillLoss,
    row: number,
    liminal?: SimdLiminal,
  ): Float32Array {
    if (input.kind === 'tensor') throw new Error('the CPU kernel takes noise or image-set inputs');
    const { traitGradient, heap } = this.scratch;
    this.imitationRow(students, teachers, input, auxOnly, loss, row, traitGradient, liminal);
    return heap.f32(traitGradient, this.layout.perModel).slice();
  }

  /** Row `row`'s cross-entropy gradient on training digits index[row·batch …]. */
  digitGradientOf(bank: SimdBank, index: Int32Array, batch: number, row: number): Float32Array {
    const { traitGradient, heap } = this.scratch;
    const rowIndex = index.subarray(row * batch, (row + 1) * batch);
    this.passes.digitGradient(rowParams(this.layout, bank, row), rowIndex, batch, traitGradient);
    return heap.f32(traitGradient, this.layout.perModel).slice();
  }

  /** Row `row`'s parameters in the padded layout (a copy). */
  paddedRow(bank: SimdBank, row: number): Float32Array {
    return this.banks.paddedRow(bank, row);
  }

  /** Drops the instance: its memory goes with it. */
  dispose(): void {
    this.scratch.release();
    this.targets.clear();
    this.inputs.clear();
  }
}
