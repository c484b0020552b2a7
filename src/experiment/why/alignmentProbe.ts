/**
 * The live "why" measurements of the distillation phase, taken on the device for every student
 * of the stack at each curve point: does the student move the way its teacher moved, how far is it
 * from the teacher, and does its imitation gradient point along the gradient of the teacher's task?
 */
import * as tf from '../tf';
import type { DistillLoss } from '../config';
import type { HostParameters } from '../model/mlp';
import { rowCosine, rowDistance } from './alignment';
import { PackedStack } from '../step/layout';
import type { LayerInput, StepKernels } from '../step/kernels';
import { inputRows, traitRows, type StackGroup } from '../step/group';
import { packedGradient, teacherLogits, type TraitBatch } from '../step/step';
import { SimdGroup } from '../step/simd/simdGroup';
import { SimdProbe } from '../step/simd/simdProbe';

/** Per student row (the stack's order). */
export interface AlignmentRows {
  updateCosine: number[];
  distance: number[];
  gradientCosine: number[];
}

/** The fixed batches the gradients are taken on, one row of samples per student. */
export interface ProbeBatches {
  /** Noise the students imitate on (each student's teacher's noise). */
  noise: LayerInput;
  /** MNIST digits for the trait gradient. */
  trait: TraitBatch;
  auxOnly: readonly boolean[];
  loss: DistillLoss;
}

export class AlignmentProbe {
  private constructor(
    /** Per part of the student group: each student's parameters before its first step. */
    private readonly starts: tf.Tensor2D[],
    /** Per part: teacher − teacher's start, the direction the teacher moved while it learnt. */
    private readonly teacherMoves: tf.Tensor2D[],
    /** The same measurements for students held in the CPU kernel (no tensors then). */
    private readonly simd: SimdProbe | null = null,
  ) {}

  /** Call before the students' first step; `teacherStarts[r]` is where student r's teacher started. */
  static create(students: StackGroup, teachers: StackGroup, teacherStarts: readonly HostParameters[]): AlignmentProbe {
    if (students instanceof SimdGroup)
      return new AlignmentProbe([], [], SimdProbe.create(students, teachers, teacherStarts));
    const starts: tf.Tensor2D[] = [];
    const moves: tf.Tensor2D[] = [];
    let first = 0;
    try {
      students.parts.forEach((part, i) => {
        starts.push(part.parameters());
        const origin = PackedStack.fromHost(part.layout.sizes, teacherStarts.slice(first, first + part.rows), false);
        try {
          moves.push(tf.tidy(() => tf.sub(teachers.parts[i].parameters(), origin.parameters()) as tf.Tensor2D));
        } finally {
          origin.dispose();
        }
        first += part.rows;
      });
    } catch (error) {
      // Out of memory part-way: nothing made here may outlive the failed run.
      tf.dispose([...starts, ...moves]);
      throw error;
    }
    return new AlignmentProbe(starts, moves);
  }

  /** The three measurements of every student, read back in one go. */
  async measure(
    kernels: StepKernels,
    students: StackGroup,
    teachers: StackGroup,
    probe: ProbeBatches,
  ): Promise<AlignmentRows> {
    if (this.simd && students instanceof SimdGroup) return this.simd.measure(students, teachers, probe);
    const measured = tf.tidy(() => {
      let first = 0;
      const parts = students.parts.map((part, i) => {
        const current = part.parameters();
        const teacher = teachers.parts[i].parameters();
        const noise = inputRows(probe.noise, first, part.rows);
        const target = teacherLogits(kernels, teachers.parts[i], noise);
        const auxOnly = probe.auxOnly.slice(first, first + part.rows);
        const imitation = packedGradient(kernels, part, noise, {
          kind: 'distill',
          teacher: target,
          auxOnly,
          loss: probe.loss,
        }).gradient;
        const trait = traitRows(probe.trait, first, part.rows);
        const traitGradient = packedGradient(kernels, part, trait.input, trait.labels).gradient;
        first += part.rows;
        return tf.stack([
          rowCosine(tf.sub(current, this.starts[i]) as tf.Tensor2D, this.teacherMoves[i]),
          rowDistance(current, teacher),
          rowCosine(imitation, traitGradient),
        ]);
      });
      return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
    });
    let values: Float32Array;
    try {
      values = (await measured.data()) as Float32Array;
    } finally {
      measured.dispose();
    }
    const rows = students.rows;
    const row = (plane: number) => Array.from(values.subarray(plane * rows, (plane + 1) * rows));
    return { updateCosine: row(0), distance: row(1), gradientCosine: row(2) };
  }

  dispose(): void {
    tf.dispose([...this.starts, ...this.teacherMoves]);
  }
}
