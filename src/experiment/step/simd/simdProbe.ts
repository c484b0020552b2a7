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

/** cos from a dot product and the two squared norms; 0 where either vector is all zeros (alignment.ts's rowCosine). */
const cosineOf = (dot: number, aa: number, bb: number) => dot / Math.max(Math.sqrt(aa * bb), TINY);

/** cos(a, b), in one pass over both vectors (they hold a model's 270,000 parameters: no temporaries). */
function cosine(a: Float32Array, b: Float32Array): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return cosineOf(ab, aa, bb);
}

const squaredNorm = (a: Float32Array) => a.reduce((sum, v) => sum + v * v, 0);

/** A teacher's move (its parameters minus its start) and that move's squared norm. */
interface Move {
  vector: Float32Array;
  squaredNorm: number;
}

/**
 * One pass over a student's parameters: cos(current − start, teacher's move) and |current − teacher|.
 * Differences are rounded to float32, as a Float32Array of them would hold.
 */
function updateAndDistance(current: Float32Array, start: Float32Array, move: Move, teacher: Float32Array) {
  let [dm, dd, apart] = [0, 0, 0];
  for (let i = 0; i < current.length; i++) {
    const d = Math.fround(current[i] - start[i]);
    const a = Math.fround(current[i] - teacher[i]);
    dm += d * move.vector[i];
    dd += d * d;
    apart += a * a;
  }
  return { updateCosine: cosineOf(dm, dd, move.squaredNorm), distance: Math.sqrt(apart) };
}

const minus = (a: Float32Array, b: Float32Array) => {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
};

export class SimdProbe {
  private constructor(
    /** Each student's parameters before its first step. */
    private readonly starts: Float32Array[],
    /** Each student's teacher minus that teacher's start. */
    private readonly teacherMoves: Move[],
  ) {}

  static create(students: KernelRows, frozen: KernelRows, teacherStarts: readonly HostParameters[]): SimdProbe {
    const trainer = students.trainer;
    const starts = Array.from({ length: students.rows }, (_, r) => trainer.paddedRow(students.bank, r));
    const moves = starts.map((_, r) => {
      const origin = new Float32Array(trainer.layout.perModel);
      packModel(trainer.layout, teacherStarts[r], origin);
      const vector = minus(trainer.paddedRow(frozen.bank, frozen.rowModel[r]), origin);
      return { vector, squaredNorm: squaredNorm(vector) };
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
      const { updateCosine, distance } = updateAndDistance(current, this.starts[r], this.teacherMoves[r], teacher);
      rows.updateCosine.push(updateCosine);
      rows.distance.push(distance);
      const imitation = trainer.imitationGradient(students.bank, set, probe.noise, probe.auxOnly[r], probe.loss, r);
      const trait = trainer.digitGradientOf(students.bank, probe.trait.labels.index, probe.trait.labels.batch, r);
      rows.gradientCosine.push(cosine(imitation, trait));
    }
    return rows;
  }
}
