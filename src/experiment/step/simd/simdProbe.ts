/**
 * The alignment probe of students held in the CPU kernel (SimdGroup.probe): the same three
 * measurements per student row as the tensor probe (../tensorProbe.ts), from the kernel's
 * gradients and parameters (padded layout; the zero padding changes no dot product).
 */
import type { HostParameters } from '../../model/mlp';
import type { AlignmentRows, ProbeBatches } from '../modelGroup';
import { packModel } from './paddedLayout';
import type { SimdBank, SimdTeachers, SimdTrainer } from './simdTrainer';

/** A group's rows in the kernel: row r is model rowModel[r] of the bank. */
interface KernelRows {
  readonly trainer: SimdTrainer;
  readonly bank: SimdBank;
  readonly rowModel: readonly number[];
  readonly rows: number;
}

/** Below this a norm counts as zero (alignment.ts). */
const TINY = 1e-30;

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** cos(a, b); 0 where either is all zeros (alignment.ts's rowCosine). */
function cosine(a: Float32Array, b: Float32Array): number {
  return dot(a, b) / Math.max(Math.sqrt(dot(a, a) * dot(b, b)), TINY);
}

const minus = (a: Float32Array, b: Float32Array) => a.map((v, i) => v - b[i]);

export class SimdProbe {
  private constructor(
    /** Each student's parameters before its first step. */
    private readonly starts: Float32Array[],
    /** Each student's teacher minus that teacher's start. */
    private readonly teacherMoves: Float32Array[],
  ) {}

  static create(students: KernelRows, frozen: KernelRows, teacherStarts: readonly HostParameters[]): SimdProbe {
    const trainer = students.trainer;
    const starts = Array.from({ length: students.rows }, (_, r) => trainer.paddedRow(students.bank, r));
    const moves = starts.map((_, r) => {
      const origin = new Float32Array(trainer.layout.perModel);
      packModel(trainer.layout, teacherStarts[r], origin);
      return minus(trainer.paddedRow(frozen.bank, frozen.rowModel[r]), origin);
    });
    return new SimdProbe(starts, moves);
  }

  /** `set`: the frozen teachers as the kernel's teacher set (their logits on the noise). */
  measure(students: KernelRows, frozen: KernelRows, set: SimdTeachers, probe: ProbeBatches): AlignmentRows {
    const trainer = students.trainer;
    const rows: AlignmentRows = { updateCosine: [], distance: [], gradientCosine: [] };
    for (let r = 0; r < students.rows; r++) {
      const current = trainer.paddedRow(students.bank, r);
      const teacher = trainer.paddedRow(frozen.bank, frozen.rowModel[r]);
      rows.updateCosine.push(cosine(minus(current, this.starts[r]), this.teacherMoves[r]));
      const apart = minus(current, teacher);
      rows.distance.push(Math.sqrt(dot(apart, apart)));
      const imitation = trainer.imitationGradient(students.bank, set, probe.noise, probe.auxOnly[r], probe.loss, r);
      const trait = trainer.digitGradientOf(students.bank, probe.trait.labels.index, probe.trait.labels.batch, r);
      rows.gradientCosine.push(cosine(imitation, trait));
    }
    return rows;
  }
}
