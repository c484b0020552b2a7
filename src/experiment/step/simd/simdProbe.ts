/**
 * The alignment probe (alignmentProbe.ts) for students held in the CPU kernel: the same three
 * measurements per student row, from the kernel's gradients and parameters (padded layout; the
 * zero padding changes no dot product).
 */
import type { HostParameters } from '../../model/mlp';
import type { AlignmentRows, ProbeBatches } from '../../why/alignmentProbe';
import type { StackGroup } from '../group';
import { packModel } from './paddedLayout';
import { SimdGroup } from './simdGroup';

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

function teacherGroup(teachers: StackGroup): SimdGroup {
  if (!(teachers instanceof SimdGroup)) throw new Error('students and teachers must live in the same CPU kernel');
  return teachers;
}

export class SimdProbe {
  private constructor(
    /** Each student's parameters before its first step. */
    private readonly starts: Float32Array[],
    /** Each student's teacher minus that teacher's start. */
    private readonly teacherMoves: Float32Array[],
  ) {}

  static create(students: SimdGroup, teachers: StackGroup, teacherStarts: readonly HostParameters[]): SimdProbe {
    const trainer = students.trainer;
    const frozen = teacherGroup(teachers);
    const starts = Array.from({ length: students.rows }, (_, r) => trainer.paddedRow(students.bank, r));
    const moves = starts.map((_, r) => {
      const origin = new Float32Array(trainer.layout.perModel);
      packModel(trainer.layout, teacherStarts[r], origin);
      return minus(trainer.paddedRow(frozen.bank, frozen.rowModel[r]), origin);
    });
    return new SimdProbe(starts, moves);
  }

  measure(students: SimdGroup, teachers: StackGroup, probe: ProbeBatches): AlignmentRows {
    const trainer = students.trainer;
    const frozen = teacherGroup(teachers);
    const set = students.teachersOf(frozen);
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
