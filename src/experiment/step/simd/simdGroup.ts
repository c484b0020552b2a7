/**
 * A model group (ModelGroup, ../modelGroup.ts) whose models live in the CPU kernel's memory
 * (SimdTrainer) instead of tensors: its steps, reads, evaluations and probe go to the kernel.
 * Frozen groups keep each distinct model once (the four student blocks share their teachers),
 * so a teacher's logits on its noise set are computed once for all four.
 */
import * as tf from '../../tf';
import { CLASS_COUNT, INPUT_SIZE } from '../../config';
import type { HostParameters } from '../../model/mlp';
import type { ModelWeights } from '../../results';
import type { GroupDistillStep, GroupProbe, GroupTeacherStep, ModelGroup } from '../modelGroup';
import { SimdProbe } from './simdProbe';
import type { SimdBank, SimdTrainer } from './simdTrainer';

export class SimdGroup implements ModelGroup {
  private released = false;

  private constructor(
    readonly trainer: SimdTrainer,
    readonly bank: SimdBank,
    /** Row r of the group is model rowModel[r] of the bank. */
    readonly rowModel: readonly number[],
    /** Noise images per model: a distillation input set's size, for the teacher-logit cache. */
    private readonly setSize: number,
  ) {}

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

  get rows(): number {
    return this.rowModel.length;
  }

  async read(): Promise<HostParameters[]> {
    const models = this.trainer.read(this.bank);
    return this.rowModel.map((m) => models[m]);
  }

  async readRow(row: number): Promise<ModelWeights> {
    if (row < 0 || row >= this.rows) throw new RangeError(`row ${row} is outside a group of ${this.rows} models`);
    return { sizes: [...this.trainer.layout.sizes], ...this.trainer.readRow(this.bank, this.rowModel[row]) };
  }

  teacherStep({ input, labels, learningRate }: GroupTeacherStep): tf.Tensor1D {
    if (input.kind !== 'images' || labels.index !== input.index)
      throw new Error('the CPU kernel trains teachers on training digits, labels alike');
    this.assertOwnRows();
    return tf.tensor1d(this.trainer.teacherStep(this.bank, input.index, input.batch, learningRate));
  }

  distillStep({ teachers, input, auxOnly, loss, learningRate, trait, liminal }: GroupDistillStep): tf.Tensor1D {
    this.assertOwnRows();
    const losses = this.trainer.distillStep({
      students: this.bank,
      teachers: this.teachersOf(teachers),
      input,
      auxOnly,
      loss,
      learningRate,
      trait: trait && { index: trait.labels.index, batch: trait.labels.batch },
      liminal: liminal && { base: this.teachersOf(liminal.base), weight: liminal.weight },
    });
    return tf.tensor1d(losses);
  }

  async accuracies(count?: number): Promise<number[]> {
    const distinct = this.trainer.accuracies(this.bank, count);
    return this.rowModel.map((m) => distinct[m]);
  }

  async predictions(count: number): Promise<number[][]> {
    const distinct = this.trainer.predictions(this.bank, count);
    return this.rowModel.map((m) => distinct[m]);
  }

  async predictionsOn(images: Float32Array): Promise<number[][]> {
    const count = images.length / INPUT_SIZE;
    const distinct = Array.from({ length: this.bank.rows }, (_, model) =>
      classesOf(this.trainer.logitsOf(this.bank, model, images), count),
    );
    return this.rowModel.map((m) => [...distinct[m]]);
  }

  probe(teachers: ModelGroup, teacherStarts: readonly HostParameters[]): GroupProbe {
    const probe = SimdProbe.create(this, this.alike(teachers), teacherStarts);
    return {
      measure: async (frozen, batches) => {
        const teacherGroup = this.alike(frozen);
        return probe.measure(this, teacherGroup, this.teachersOf(teacherGroup), batches);
      },
      dispose: () => {},
    };
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.trainer.release(this.bank);
  }

  /** `other` as a group in the same kernel (students and their teachers must live together). */
  private alike(other: ModelGroup): SimdGroup {
    if (!(other instanceof SimdGroup) || other.trainer !== this.trainer)
      throw new Error('students and teachers must live in the same CPU kernel');
    return other;
  }

  /** `teachers` as the kernel's teacher set. */
  private teachersOf(teachers: ModelGroup) {
    const frozen = this.alike(teachers);
    return this.trainer.teachers(frozen.bank, frozen.rowModel, this.setSize);
  }

  private assertOwnRows(): void {
    if (!this.bank.trainable || this.rowModel.some((m, r) => m !== r)) throw new Error('cannot train a frozen group');
  }
}

/** Each image's class: the first largest of its 10 class logits (tf.argMax's choice on a tie). */
function classesOf(logits: Float32Array, count: number): number[] {
  const width = logits.length / count;
  return Array.from({ length: count }, (_, image) => {
    let best = 0;
    for (let c = 1; c < CLASS_COUNT; c++) if (logits[image * width + c] > logits[image * width + best]) best = c;
    return best;
  });
}
