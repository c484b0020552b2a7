/**
 * A stack group whose models live in the CPU kernel's memory (SimdTrainer) instead of tensors:
 * the run's phases hold it where they hold a StackGroup, and its steps, reads and evaluations go
 * to the kernel. Frozen groups keep each distinct model once (the four student blocks share
 * their teachers), so a teacher's logits on its noise set are computed once for all four.
 */
import * as tf from '../../tf';
import { Stack, type HostParameters } from '../../model/mlp';
import type { ModelWeights } from '../../results';
import { StackGroup } from '../group';
import type { DistillStepArgs, TeacherStepArgs } from '../step';
import type { SimdBank, SimdTrainer } from './simdTrainer';

export class SimdGroup extends StackGroup {
  private released = false;

  private constructor(
    readonly trainer: SimdTrainer,
    readonly bank: SimdBank,
    /** Row r of the group is model rowModel[r] of the bank. */
    readonly rowModel: readonly number[],
    /** Noise images per model: a distillation input set's size, for the teacher-logit cache. */
    private readonly setSize: number,
  ) {
    super([]);
  }

  /** Trainable: one bank row per model. Frozen: each distinct model (by identity) once. */
  static create(
    trainer: SimdTrainer,
    models: readonly HostParameters[],
    trainable: boolean,
    setSize: number,
  ): SimdGroup {
    if (trainable)
      return new SimdGroup(
        trainer,
        trainer.bank(models, true),
        models.map((_, i) => i),
        setSize,
      );
    const distinct: HostParameters[] = [];
    const position = new Map<HostParameters, number>();
    const rowModel = models.map((model) => {
      if (!position.has(model)) position.set(model, distinct.push(model) - 1);
      return position.get(model)!;
    });
    return new SimdGroup(trainer, trainer.bank(distinct, false), rowModel, setSize);
  }

  override get rows(): number {
    return this.rowModel.length;
  }

  override async read(): Promise<HostParameters[]> {
    const models = this.trainer.read(this.bank);
    return this.rowModel.map((m) => models[m]);
  }

  readRow(row: number): ModelWeights {
    if (row < 0 || row >= this.rows) throw new RangeError(`row ${row} is outside a group of ${this.rows} models`);
    return { sizes: [...this.trainer.layout.sizes], ...this.trainer.readRow(this.bank, this.rowModel[row]) };
  }

  /** A frozen tensor copy, for what is measured rarely on stock ops (the teacher's outputs on noise). */
  override toStack(): Stack {
    const models = this.trainer.read(this.bank);
    return Stack.fromHost(
      this.trainer.layout.sizes,
      this.rowModel.map((m) => models[m]),
      false,
    );
  }

  override teacherStep({ input, labels, learningRate }: TeacherStepArgs<StackGroup>): tf.Tensor1D {
    if (input.kind !== 'images' || labels.index !== input.index)
      throw new Error('the CPU kernel trains teachers on training digits, labels alike');
    this.assertOwnRows();
    return tf.tensor1d(this.trainer.teacherStep(this.bank, input.index, input.batch, learningRate));
  }

  override distillStep({
    teachers,
    input,
    auxOnly,
    loss,
    learningRate,
    trait,
  }: DistillStepArgs<StackGroup>): tf.Tensor1D {
    this.assertOwnRows();
    const losses = this.trainer.distillStep({
      students: this.bank,
      teachers: this.teachersOf(teachers),
      input,
      auxOnly,
      loss,
      learningRate,
      trait: trait && { index: trait.labels.index, batch: trait.labels.batch },
    });
    return tf.tensor1d(losses);
  }

  /** `teachers` as the kernel's teacher set (it must live in the same kernel). */
  teachersOf(teachers: StackGroup) {
    if (!(teachers instanceof SimdGroup) || teachers.trainer !== this.trainer)
      throw new Error('students and teachers must live in the same CPU kernel');
    return this.trainer.teachers(teachers.bank, teachers.rowModel, this.setSize);
  }

  /** Every row's accuracy on the first `count` test images. */
  accuracies(count?: number): number[] {
    const distinct = this.trainer.accuracies(this.bank, count);
    return this.rowModel.map((m) => distinct[m]);
  }

  /** Every row's predicted digit for the first `n` test images. */
  predictions(n: number): number[][] {
    const distinct = this.trainer.predictions(this.bank, n);
    return this.rowModel.map((m) => distinct[m]);
  }

  private assertOwnRows(): void {
    if (!this.bank.trainable || this.rowModel.some((m, r) => m !== r)) throw new Error('cannot train a frozen group');
  }

  override dispose(): void {
    if (this.released) return;
    this.released = true;
    this.trainer.release(this.bank);
  }
}
