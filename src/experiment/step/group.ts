/**
 * A model group held in tensors (ModelGroup, modelGroup.ts): one packed stack, or several smaller
 * ones trained one after another, stepped by the stock or WGSL kernels. On wasm a loop of
 * one-model stacks is the fast way (its batched matMul is slow, and a slice copies its whole
 * source, so cutting rows out of a big stack costs more than it saves); on a GPU one stack for
 * all. Steps split their inputs by rows and train each part.
 */
import * as tf from '../tf';
import { Stack, type HostParameters, type StackMode } from '../model/mlp';
import { accuracies, EVAL_BATCH, predictions } from '../model/evaluate';
import { INPUT_SIZE } from '../config';
import type { ModelWeights } from '../results';
import { PackedStack, PARAMS } from './layout';
import type { LayerInput, StepKernels } from './kernels';
import type { GroupDistillStep, GroupProbe, GroupTeacherStep, ModelGroup, TestImages } from './modelGroup';
import { inputRows, labelRows, traitRows } from './rows';
import { packedDistillStep, packedTeacherStep } from './step';
import { TensorProbe } from './tensorProbe';

export class TensorGroup implements ModelGroup {
  constructor(
    readonly parts: PackedStack[],
    /** Model by model (parts of one row) or one batched product per layer, also when evaluated. */
    readonly mode: StackMode,
    readonly kernels: StepKernels,
    /** What accuracies and predictions are measured on (none: a group only stepped, as in a benchmark). */
    private readonly tests: TestImages | null = null,
  ) {}

  /** One packed stack per model ('per-model'), or one for all ('batched'). */
  static fromHost(
    sizes: readonly number[],
    models: readonly HostParameters[],
    trainable: boolean,
    mode: StackMode,
    kernels: StepKernels,
    tests: TestImages | null = null,
  ): TensorGroup {
    const rowsPerPart = mode === 'per-model' ? 1 : Math.max(1, models.length);
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
    return new TensorGroup(parts, mode, kernels, tests);
  }

  get rows(): number {
    return this.parts.reduce((sum, part) => sum + part.rows, 0);
  }

  /** A frozen plain stack of every model, for evaluation. */
  private toStack(): Stack {
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

  /** A teacher step: each part in turn on the kernels. */
  teacherStep({ input, labels, learningRate }: GroupTeacherStep): tf.Tensor1D {
    const kernels = this.kernels;
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

  /** A distillation step; row r imitates row r of `teachers`, split alike. */
  distillStep({ teachers, input, auxOnly, trait, liminal, ...rest }: GroupDistillStep): tf.Tensor1D {
    const partOf = (group: ModelGroup) => new Map(this.parts.map((part, i) => [part, this.alike(group).parts[i]]));
    const teacherParts = partOf(teachers);
    // Liminal training's base models (each row's start) are split like the students.
    const bases = liminal && { parts: partOf(liminal.base), weight: liminal.weight };
    return eachPart(this, input, (part, rows, first) =>
      packedDistillStep({
        ...rest,
        kernels: this.kernels,
        students: part,
        teachers: teacherParts.get(part)!,
        input: rows,
        auxOnly: auxOnly.slice(first, first + part.rows),
        trait: trait && traitRows(trait, first, part.rows),
        liminal: bases && { base: bases.parts.get(part)!, weight: bases.weight },
      }),
    );
  }

  /** Row `row` (counted across the parts) as plain arrays: a gather of that row, never the whole stack. */
  async readRow(row: number): Promise<ModelWeights> {
    let local = row;
    const part = this.parts.find((p) => (local < p.rows ? true : ((local -= p.rows), false)));
    if (!part || row < 0) throw new RangeError(`row ${row} is outside a group of ${this.rows} models`);
    const { sizes, perModel, weightOffset, biasOffset } = part.layout;
    // A gather of one row of [planes·rows, P] (a free reshape): wasm's slice would first copy the
    // whole state, moments included, where a gather reads only the row.
    const slice = tf.tidy(() => {
      const index = tf.tensor1d([PARAMS * part.rows + local], 'int32');
      return tf.gather(tf.reshape(part.state, [part.state.shape[0] * part.rows, perModel]), index);
    });
    let values: Float32Array;
    try {
      values = (await slice.data()) as Float32Array;
    } finally {
      slice.dispose();
    }
    // Copies, one buffer per array: they outlive the tensor and may be transferred between workers.
    const layers = sizes.slice(1).map((_, layer) => layer);
    return {
      sizes: [...sizes],
      weights: layers.map((l) => values.slice(weightOffset[l], weightOffset[l] + sizes[l] * sizes[l + 1])),
      biases: layers.map((l) => values.slice(biasOffset[l], biasOffset[l] + sizes[l + 1])),
    };
  }

  accuracies(count?: number): Promise<number[]> {
    const { images, labels } = this.testImages(count);
    return this.onPlainStack((stack) => accuracies(stack, images, labels, this.mode));
  }

  predictions(count: number): Promise<number[][]> {
    const { images } = this.testImages(count);
    return this.onPlainStack((stack) => predictions(stack, images, this.mode));
  }

  /** Uploaded EVAL_BATCH images at a time, each batch freed once its predictions are read back. */
  predictionsOn(images: Float32Array): Promise<number[][]> {
    const count = images.length / INPUT_SIZE;
    return this.onPlainStack(async (stack) => {
      const rows = Array.from({ length: stack.size }, (): number[] => []);
      for (let start = 0; start < count; start += EVAL_BATCH) {
        const size = Math.min(EVAL_BATCH, count - start);
        const batch = tf.tensor2d(images.subarray(start * INPUT_SIZE, (start + size) * INPUT_SIZE), [size, INPUT_SIZE]);
        try {
          (await predictions(stack, batch, this.mode)).forEach((row, r) => rows[r].push(...row));
        } finally {
          batch.dispose();
        }
      }
      return rows;
    });
  }

  probe(teachers: ModelGroup, teacherStarts: readonly HostParameters[]): GroupProbe {
    const probe = TensorProbe.create(this.kernels, this.parts, this.alike(teachers).parts, teacherStarts);
    return {
      measure: (frozen, batches) => probe.measure(this.alike(frozen).parts, batches),
      dispose: () => probe.dispose(),
    };
  }

  dispose(): void {
    this.parts.forEach((part) => part.dispose());
  }

  /** `other` as a tensor group split like this one (students and their teachers are made alike). */
  alike(other: ModelGroup): TensorGroup {
    if (!(other instanceof TensorGroup) || other.parts.length !== this.parts.length)
      throw new Error('students and teachers must be tensor groups split alike');
    return other;
  }

  private testImages(count?: number) {
    if (!this.tests) throw new Error('this group has no test images to be measured on');
    return this.tests(count);
  }

  /** Measures through a plain frozen copy of the whole group, made for the occasion. */
  private async onPlainStack<T>(measure: (stack: Stack) => Promise<T>): Promise<T> {
    const copy = this.toStack();
    try {
      return await measure(copy);
    } finally {
      copy.dispose();
    }
  }
}

/** Runs `step` on every part with its rows of the input; the parts' losses, joined. */
function eachPart(
  group: TensorGroup,
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
