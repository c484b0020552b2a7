/**
 * The alignment probe (GroupProbe) of a tensor group: for every student row, on the device, does
 * it move the way its teacher moved, how far is it from its teacher, and does its imitation
 * gradient point along the gradient of the teacher's task? One readback for all three.
 */
import * as tf from '../tf';
import type { HostParameters } from '../model/mlp';
import { rowCosine, rowDistance } from '../why/alignment';
import { PackedStack } from './layout';
import type { StepKernels } from './kernels';
import type { AlignmentRows, ProbeBatches } from './modelGroup';
import { inputRows, traitRows } from './rows';
import { packedGradient, teacherLogits } from './step';

export class TensorProbe {
  private constructor(
    private readonly kernels: StepKernels,
    /** The student group's parts, trained in place. */
    private readonly students: readonly PackedStack[],
    /** Per part of the student group: each student's parameters before its first step. */
    private readonly starts: tf.Tensor2D[],
    /** Per part: teacher − teacher's start, the direction the teacher moved while it learnt. */
    private readonly teacherMoves: tf.Tensor2D[],
  ) {}

  /** Call before the students' first step; `teacherStarts[r]` is where student r's teacher started. */
  static create(
    kernels: StepKernels,
    students: readonly PackedStack[],
    teachers: readonly PackedStack[],
    teacherStarts: readonly HostParameters[],
  ): TensorProbe {
    const starts: tf.Tensor2D[] = [];
    const moves: tf.Tensor2D[] = [];
    let first = 0;
    try {
      students.forEach((part, i) => {
        starts.push(part.parameters());
        const origin = PackedStack.fromHost(part.layout.sizes, teacherStarts.slice(first, first + part.rows), false);
        try {
          moves.push(tf.tidy(() => tf.sub(teachers[i].parameters(), origin.parameters()) as tf.Tensor2D));
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
    return new TensorProbe(kernels, students, starts, moves);
  }

  /** `teachers`: the frozen teacher group's parts, split like the students'. */
  async measure(teachers: readonly PackedStack[], probe: ProbeBatches): Promise<AlignmentRows> {
    const { students, kernels } = this;
    const measured = tf.tidy(() => {
      let first = 0;
      const parts = students.map((part, i) => {
        const current = part.parameters();
        const teacher = teachers[i].parameters();
        const noise = inputRows(probe.noise, first, part.rows);
        const target = teacherLogits(kernels, teachers[i], noise);
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
    const rows = students.reduce((sum, part) => sum + part.rows, 0);
    const row = (plane: number) => Array.from(values.subarray(plane * rows, (plane + 1) * rows));
    return { updateCosine: row(0), distance: row(1), gradientCosine: row(2) };
  }

  dispose(): void {
    tf.dispose([...this.starts, ...this.teacherMoves]);
  }
}
