/**
 * A stack of models held as one packed stack, or as several smaller ones trained one after
 * another. On wasm a loop of one-model stacks is the fast way (its batched matMul is slow, and a
 * slice copies its whole source, so cutting rows out of a big stack costs more than it saves);
 * on a GPU one stack for all. Steps on a group split their inputs by rows and train each part.
 */
import * as tf from '../tf';
import { Stack, type HostParameters } from '../model/mlp';
import { PackedStack } from './layout';
import type { LayerInput, LossTarget } from './kernels';
import {
  packedDistillStep,
  packedTeacherStep,
  type DistillStepArgs,
  type TeacherStepArgs,
  type TraitBatch,
} from './step';

export class StackGroup {
  constructor(readonly parts: PackedStack[]) {}

  /** `rowsPerPart` models per packed stack (1 = model by model; ≥ models = one stack). */
  static fromHost(
    sizes: readonly number[],
    models: readonly HostParameters[],
    trainable: boolean,
    rowsPerPart: number,
  ): StackGroup {
    const parts: PackedStack[] = [];
    try {
      for (let first = 0; first < models.length; first += rowsPerPart) {
        parts.push(PackedStack.fromHost(sizes, models.slice(first, first + rowsPerPart), trainable));
      }
    } catch (error) {
      // Out of memory part-way: the parts already made would otherwise outlive the failed run.
      parts.forEach((part) => part.dispose());
      throw error;
    }
    return new StackGroup(parts);
  }

  get rows(): number {
    return this.parts.reduce((sum, part) => sum + part.rows, 0);
  }

  /** A frozen plain stack of every model, for evaluation. */
  toStack(): Stack {
    if (this.parts.length === 1) return this.parts[0].toStack();
    const stacks: Stack[] = [];
    try {
      for (const part of this.parts) stacks.push(part.toStack());
      const [weights, biases] = tf.tidy(() => [
        stacks[0].weights.map((_, layer) =>
          tf.concat(
            stacks.map((s) => s.weights[layer]),
            0,
          ),
        ),
        stacks[0].biases.map((_, layer) =>
          tf.concat(
            stacks.map((s) => s.biases[layer]),
            0,
          ),
        ),
      ]);
      return Stack.fromTensors(stacks[0].sizes, weights as tf.Tensor3D[], biases as tf.Tensor2D[]);
    } finally {
      stacks.forEach((s) => s.dispose());
    }
  }

  async read(): Promise<HostParameters[]> {
    const all: HostParameters[] = [];
    for (const part of this.parts) all.push(...(await part.read()));
    return all;
  }

  /**
   * A teacher step on this group (`args.teacher` is this group); each part in turn on the
   * kernels. A group held elsewhere (the CPU kernel's memory, simd/simdGroup.ts) overrides it.
   */
  teacherStep({ kernels, input, labels, learningRate }: TeacherStepArgs<StackGroup>): tf.Tensor1D {
    return eachPart(this, input, (part, rows, first) =>
      packedTeacherStep({
        kernels,
        teacher: part,
        input: rows,
        labels: labelRows(labels, first, part.rows),
        learningRate,
      }),
    );
  }

  /** A distillation step on this group (`args.students` is this group); row r imitates row r of `teachers`, split alike. */
  distillStep({ teachers, input, auxOnly, trait, ...rest }: DistillStepArgs<StackGroup>): tf.Tensor1D {
    const teacherParts = new Map(this.parts.map((part, i) => [part, teachers.parts[i]]));
    return eachPart(this, input, (part, rows, first) =>
      packedDistillStep({
        ...rest,
        students: part,
        teachers: teacherParts.get(part)!,
        input: rows,
        auxOnly: auxOnly.slice(first, first + part.rows),
        trait: trait && traitRows(trait, first, part.rows),
      }),
    );
  }

  dispose(): void {
    this.parts.forEach((part) => part.dispose());
  }
}

/** Rows [first, first + rows) of an input. */
export function inputRows(input: LayerInput, first: number, rows: number): LayerInput {
  switch (input.kind) {
    case 'tensor':
      return { kind: 'tensor', x: tf.slice(input.x, [first, 0, 0], [rows, -1, -1]) };
    case 'images':
      return { ...input, index: input.index.subarray(first * input.batch, (first + rows) * input.batch) };
    case 'noise':
      return {
        ...input,
        models: input.models.subarray(first, first + rows),
        index: input.index.subarray(first * input.batch, (first + rows) * input.batch),
      };
  }
}

/** Runs `step` on every part with its rows of the input; the parts' losses, joined. */
function eachPart(
  group: StackGroup,
  input: LayerInput,
  step: (part: PackedStack, input: LayerInput, first: number) => tf.Tensor1D,
): tf.Tensor1D {
  if (group.parts.length === 1) return step(group.parts[0], input, 0);
  return tf.tidy(() => {
    let first = 0;
    const losses = group.parts.map((part) => {
      const loss = step(part, inputRows(input, first, part.rows), first);
      first += part.rows;
      return loss;
    });
    return tf.concat(losses);
  });
}

export function groupTeacherStep(args: TeacherStepArgs<StackGroup>): tf.Tensor1D {
  return args.teacher.teacherStep(args);
}

/** Row r of `students` imitates row r of `teachers`; both groups must be split alike. */
export function groupDistillStep(args: DistillStepArgs<StackGroup>): tf.Tensor1D {
  return args.students.distillStep(args);
}

type Labels = Extract<LossTarget, { kind: 'labels' }>;

/** Rows [first, first + rows) of a labels target. */
export function labelRows(labels: Labels, first: number, rows: number): Labels {
  return { ...labels, index: labels.index.subarray(first * labels.batch, (first + rows) * labels.batch) };
}

/** Rows [first, first + rows) of a trait batch. */
export function traitRows(trait: TraitBatch, first: number, rows: number): TraitBatch {
  return { input: inputRows(trait.input, first, rows), labels: labelRows(trait.labels, first, rows) };
}
