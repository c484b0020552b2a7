/**
 * The CPU training path: a run's models, MNIST and every scratch buffer live in the SIMD kernel's
 * own memory (step.wasm) for the whole run, and each step is a handful of calls into it, model by
 * model: no tensors, no copies of parameters, no per-op overhead. The host passes batch indices
 * and noise seeds only. Stock tfjs kernels (stockKernels.ts) remain the reference it is tested
 * against (test/integration/simd-kernels.test.ts).
 *
 * Same step as step.ts: forward, loss gradient, backpropagation, the optional mitigation
 * (alignment.ts's removeAlignedComponent), Adam; a model's numbers depend only on its own row.
 */
import { ADAM, CLASS_COUNT, INPUT_SIZE, type DistillLoss } from '../../config';
import type { HostParameters } from '../../model/mlp';
import { pcgHash } from '../../inputs/noiseHash';
import type { LayerInput } from '../kernels';
import { packModel, paddedLayout, unpackModel, type PaddedLayout } from './paddedLayout';
import { instantiateStep, type StepExports } from './stepModule';
import { WasmHeap } from './wasmHeap';

/** Rows a forward pass takes at once when evaluating (and when filling the teacher-logit cache). */
const EVAL_ROWS = 256;
/** Teachers' logits on their whole input set are kept when they fit this (they are then computed once per phase). */
const CACHE_LIMIT_BYTES = 512 * 2 ** 20;
/** Noise sets are kept (generated once, then copied per batch) while they fit this. */
const NOISE_LIMIT_BYTES = 256 * 2 ** 20;
/** Below this a squared norm counts as zero (alignment.ts). */
const TINY = 1e-30;

const ceil4 = (n: number) => Math.ceil(n / 4) * 4;

/** Models held in the kernel's memory: parameters, and Adam's moments when trainable. */
export class SimdBank {
  /** Adam steps taken (for bias correction); every row steps together. */
  step = 0;
  constructor(
    readonly rows: number,
    /** Byte offsets of row 0 of each plane (moments 0 when frozen); rows follow each other. */
    readonly params: number,
    readonly firstMoment: number,
    readonly secondMoment: number,
  ) {}

  get trainable(): boolean {
    return this.firstMoment !== 0;
  }
}

/** Frozen teachers for a distillation phase: student row r imitates teacher rowTeacher[r]. */
export interface SimdTeachers {
  bank: SimdBank;
  rowTeacher: readonly number[];
  /** Images in each noise set (the run's noiseImages), for the logit cache; 0 = no cache (every step runs the teachers). */
  setSize: number;
}

/** MNIST as the run uses it: the first trainImages training images and the whole test set, pixels in [-1, 1]. */
export interface SimdData {
  trainPixels: Float32Array;
  trainLabels: ArrayLike<number>;
  testPixels: Float32Array;
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
}

const noiseKey = (input: Extract<LayerInput, { kind: 'noise' }>, row: number) =>
  `${input.noise}:${input.seed >>> 0}:${input.models[row]}`;

export class SimdTrainer {
  private readonly heap: WasmHeap;
  /** Rows every scratch buffer holds. */
  private readonly capacity: number;
  private readonly x: number;
  private readonly activations: number[];
  private readonly gradients: number[];
  private readonly teacherLogits: number;
  private readonly transposed: number;
  private readonly panels: number;
  private readonly inputT: number;
  private readonly dzPanels: number;
  /** Whose weights the panels hold (-1: none); every write to parameters resets it. */
  private packedFor = -1;
  private readonly gradient: number;
  private readonly traitGradient: number;
  private readonly index: number;
  private readonly labels: number;
  private readonly drawHashes: number;
  private readonly train: { pixels: number; labels: number; count: number };
  private readonly test: { pixels: number; labels: number; count: number };
  /** Host image sets copied in (distillation on MNIST-based inputs), by identity. */
  private readonly imageSets = new Map<Float32Array, number>();
  /** Teachers' logits on whole input sets, by bank, teacher and set; 0 = too big to keep. */
  private readonly logitCache = new Map<SimdBank, Map<string, number>>();
  private cachedBytes = 0;
  /** Whole noise sets, by kind, seed and model (4 students share each, 2+ epochs go through it). */
  private readonly noiseSets = new Map<string, { at: number; size: number }>();
  private noiseBytes = 0;
  private readonly freeBanks = new Map<string, SimdBank[]>();
  private disposed = false;

  private constructor(
    private kernel: StepExports,
    readonly layout: PaddedLayout,
    batchSize: number,
    data: SimdData,
  ) {
    this.heap = new WasmHeap(kernel);
    const { widths } = layout;
    const layers = widths.length - 1;
    this.capacity = Math.max(ceil4(batchSize), EVAL_ROWS);
    const rows = this.capacity;
    this.x = this.heap.alloc(rows * INPUT_SIZE);
    this.activations = widths.slice(1).map((w) => this.heap.alloc(rows * w));
    this.gradients = widths.slice(1).map((w) => this.heap.alloc(rows * w));
    this.teacherLogits = this.heap.alloc(rows * widths[layers]);
    this.transposed = this.heap.alloc(Math.max(1, ...widths.slice(1, -1).map((w, l) => w * widths[l + 2])));
    this.gradient = this.heap.alloc(layout.perModel);
    this.panels = this.heap.alloc(layout.perModel);
    this.inputT = this.heap.alloc(rows * Math.max(...widths.slice(0, -1)));
    this.dzPanels = this.heap.alloc(rows * Math.max(...widths.slice(1)));
    this.traitGradient = this.heap.alloc(layout.perModel);
    this.index = this.heap.alloc(rows);
    this.labels = this.heap.alloc(rows);
    this.drawHashes = this.heap.alloc(2 * INPUT_SIZE);
    this.heap
      .i32(this.drawHashes, 2 * INPUT_SIZE)
      .set(Int32Array.from({ length: 2 * INPUT_SIZE }, (_, draw) => pcgHash(draw) | 0));
    this.train = this.placeImages(data.trainPixels, data.trainLabels);
    this.test = this.placeImages(data.testPixels, data.testLabels);
    // Distillation on real digits reads the training pixels already here.
    this.imageSets.set(data.trainPixels, this.train.pixels);
  }

  /** A trainer for networks of `sizes` and batches up to `batchSize`, with `data` copied in once. */
  static async create(sizes: readonly number[], batchSize: number, data: SimdData): Promise<SimdTrainer> {
    return SimdTrainer.fromInstance(await instantiateStep(), sizes, batchSize, data);
  }

  /** The same on an instance already made (instantiateStep), so a run can load it before its data. */
  static fromInstance(kernel: StepExports, sizes: readonly number[], batchSize: number, data: SimdData): SimdTrainer {
    return new SimdTrainer(kernel, paddedLayout(sizes), batchSize, data);
  }

  private get k(): StepExports {
    if (this.disposed) throw new Error('the CPU kernel was released (the run ended)');
    return this.kernel;
  }

  private placeImages(
    pixels: Float32Array,
    labels: ArrayLike<number>,
  ): { pixels: number; labels: number; count: number } {
    const count = labels.length;
    if (pixels.length !== count * INPUT_SIZE) throw new Error(`${pixels.length} pixels for ${count} labels`);
    const at = this.heap.alloc(pixels.length);
    this.heap.f32(at, pixels.length).set(pixels);
    const labelsAt = this.heap.alloc(count);
    this.heap.i32(labelsAt, count).set(labels);
    return { pixels: at, labels: labelsAt, count };
  }

  /** Memory the kernel holds, in bytes. */
  get bytes(): number {
    return this.heap.bytes;
  }

  // -------------------------------------------------------------------------------------------
  // Models

  bank(models: readonly HostParameters[], trainable: boolean): SimdBank {
    const free = this.freeBanks.get(`${models.length}:${trainable}`);
    const reused = free?.pop();
    if (reused) {
      this.load(reused, models);
      return reused;
    }
    const P = this.layout.perModel;
    const params = this.heap.alloc(models.length * P);
    const bank = trainable
      ? new SimdBank(models.length, params, this.heap.alloc(models.length * P), this.heap.alloc(models.length * P))
      : new SimdBank(models.length, params, 0, 0);
    this.load(bank, models);
    return bank;
  }

  /** Hands a bank back: the next bank of its size and kind reuses its memory (a chain's generations). */
  release(bank: SimdBank): void {
    const key = `${bank.rows}:${bank.trainable}`;
    const free = this.freeBanks.get(key) ?? [];
    if (!free.includes(bank)) free.push(bank);
    this.freeBanks.set(key, free);
    this.logitCache.delete(bank);
  }

  /** Overwrites a bank's models (Adam's moments and step restart): a chain's next generation reuses its banks. */
  load(bank: SimdBank, models: readonly HostParameters[]): void {
    if (models.length !== bank.rows) throw new Error(`${models.length} models for a bank of ${bank.rows}`);
    const P = this.layout.perModel;
    this.packedFor = -1;
    const all = this.heap.f32(bank.params, bank.rows * P);
    all.fill(0);
    models.forEach((model, row) => packModel(this.layout, model, all.subarray(row * P, (row + 1) * P)));
    if (bank.trainable) {
      this.heap.f32(bank.firstMoment, bank.rows * P).fill(0);
      this.heap.f32(bank.secondMoment, bank.rows * P).fill(0);
    }
    bank.step = 0;
    this.logitCache.delete(bank);
  }

  read(bank: SimdBank): HostParameters[] {
    return Array.from({ length: bank.rows }, (_, row) => this.readRow(bank, row));
  }

  readRow(bank: SimdBank, row: number): HostParameters {
    if (row < 0 || row >= bank.rows) throw new RangeError(`row ${row} is outside a bank of ${bank.rows} models`);
    return unpackModel(this.layout, this.heap.f32(this.rowParams(bank, row), this.layout.perModel));
  }

  private rowParams(bank: SimdBank, row: number): number {
    return bank.params + row * this.layout.perModel * 4;
  }

  // -------------------------------------------------------------------------------------------
  // The passes, on `rows` (a multiple of 4) rows of input at byte offset x.

  private forward(params: number, x: number, rows: number): void {
    const { widths, weightOffset, biasOffset } = this.layout;
    const layers = widths.length - 1;
    this.packWeights(params);
    for (let l = 0; l < layers; l++) {
      const input = l === 0 ? x : this.activations[l - 1];
      this.k.gemmNNPacked(
        input,
        this.panels + weightOffset[l] * 4,
        this.activations[l],
        rows,
        widths[l],
        widths[l + 1],
        params + biasOffset[l] * 4,
        l < layers - 1 ? 1 : 0,
      );
    }
  }

  /**
   * The model's weights as 8-column panels (packPanels), in the panels buffer (same offsets as the
   * model): the products then stream them (≈13% faster; packing costs ≈4% of a 64-row forward).
   * Kept while the same unchanged model is evaluated block after block.
   */
  private packWeights(params: number): void {
    if (this.packedFor === params) return;
    const { widths, weightOffset } = this.layout;
    for (let l = 0; l < widths.length - 1; l++)
      this.k.packPanels(params + weightOffset[l] * 4, widths[l], widths[l + 1], this.panels + weightOffset[l] * 4);
    this.packedFor = params;
  }

  /** Backpropagates the logits' gradient (already in gradients[last]) into `out` (perModel values). */
  private backward(params: number, x: number, rows: number, out: number): void {
    const { widths, weightOffset, biasOffset } = this.layout;
    for (let l = widths.length - 2; l >= 0; l--) {
      const input = l === 0 ? x : this.activations[l - 1];
      const dz = this.gradients[l];
      // dW = inputᵀ · dz as a forward-style product: inputᵀ's rows and dz's panels stream (at a
      // batch of 1,024 ≈28% faster than reading input's columns in place; the same sums, same order).
      this.k.transpose(input, rows, widths[l], this.inputT);
      this.k.packPanels(dz, rows, widths[l + 1], this.dzPanels);
      this.k.gemmNNPacked(this.inputT, this.dzPanels, out + weightOffset[l] * 4, widths[l], rows, widths[l + 1], 0, 0);
      this.k.columnSums(dz, rows, widths[l + 1], out + biasOffset[l] * 4);
      if (l > 0) {
        this.k.transpose(params + weightOffset[l] * 4, widths[l], widths[l + 1], this.transposed);
        this.k.gemmNN(dz, this.transposed, this.gradients[l - 1], rows, widths[l + 1], widths[l], 0, 0);
        this.k.reluMask(this.gradients[l - 1], this.activations[l - 1], rows * widths[l]);
      }
    }
  }

  private get logits(): number {
    return this.activations[this.activations.length - 1];
  }

  private get logitGradient(): number {
    return this.gradients[this.gradients.length - 1];
  }

  private get logitWidth(): number {
    return this.layout.widths[this.layout.widths.length - 1];
  }

  /** Training images index[…] into x (rows beyond the batch zeroed) and their labels into this.labels. */
  private trainBatch(index: Int32Array, batch: number): number {
    const rows = ceil4(batch);
    if (rows > this.capacity) throw new Error(`batch ${batch} exceeds the kernel's ${this.capacity} rows`);
    const idx = this.heap.i32(this.index, batch);
    idx.set(index);
    this.k.gatherRows(this.train.pixels, this.index, batch, INPUT_SIZE, this.x);
    this.k.gatherRows(this.train.labels, this.index, batch, 1, this.labels);
    if (rows > batch) this.k.zero(this.x + batch * INPUT_SIZE * 4, (rows - batch) * INPUT_SIZE);
    return rows;
  }

  /** The cross-entropy gradient of a row on a batch of training digits into `out`; its loss. */
  private digitGradient(params: number, index: Int32Array, batch: number, out: number): number {
    const rows = this.trainBatch(index, batch);
    this.forward(params, this.x, rows);
    const loss = this.k.crossEntropy(this.logits, this.labels, batch, rows, this.logitWidth, this.logitGradient);
    this.backward(params, this.x, rows, out);
    return loss;
  }

  private adam(bank: SimdBank, row: number, learningRate: number): void {
    const P = this.layout.perModel;
    const offset = row * P * 4;
    const t = bank.step;
    const { beta1, beta2, epsilon } = ADAM;
    this.packedFor = -1;
    this.k.adam(
      bank.params + offset,
      bank.firstMoment + offset,
      bank.secondMoment + offset,
      this.gradient,
      P,
      beta1,
      beta2,
      1 - beta1,
      1 - beta2,
      1 - beta1 ** t,
      1 - beta2 ** t,
      epsilon,
      learningRate,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Steps

  /** One teacher step (cross-entropy on the class logits); each row's loss before the step. */
  teacherStep(bank: SimdBank, index: Int32Array, batch: number, learningRate: number): Float32Array {
    if (!bank.trainable) throw new Error('cannot train a frozen bank');
    bank.step++;
    const losses = new Float32Array(bank.rows);
    for (let row = 0; row < bank.rows; row++) {
      const params = this.rowParams(bank, row);
      losses[row] = this.digitGradient(params, index.subarray(row * batch, (row + 1) * batch), batch, this.gradient);
      this.adam(bank, row, learningRate);
    }
    return losses;
  }

  /** One distillation step: row r of the students imitates its teacher on its inputs; each row's loss before the step. */
  distillStep({ students, teachers, input, auxOnly, loss, learningRate, trait }: SimdDistillArgs): Float32Array {
    if (!students.trainable) throw new Error('cannot train a frozen bank');
    if (input.kind === 'tensor') throw new Error('the CPU kernel takes noise or image-set inputs');
    students.step++;
    const batch = input.batch;
    const rows = ceil4(batch);
    const C = this.layout.sizes[this.layout.sizes.length - 1];
    const losses = new Float32Array(students.rows);
    for (let row = 0; row < students.rows; row++) {
      const params = this.rowParams(students, row);
      const index = input.index.subarray(row * batch, (row + 1) * batch);
      this.teacherTargets(teachers, input, row, index);
      this.inputRows(input, row, index, this.x);
      this.forward(params, this.x, rows);
      const first = auxOnly[row] ? CLASS_COUNT : 0;
      losses[row] = this.k.imitation(
        this.logits,
        this.teacherLogits,
        batch,
        rows,
        this.logitWidth,
        first,
        C,
        loss === 'mse' ? 1 : 0,
        this.logitGradient,
      );
      this.backward(params, this.x, rows, this.gradient);
      if (trait) {
        this.digitGradient(
          params,
          trait.index.subarray(row * trait.batch, (row + 1) * trait.batch),
          trait.batch,
          this.traitGradient,
        );
        this.removeAlignedComponent();
      }
      this.adam(students, row, learningRate);
    }
    return losses;
  }

  /** alignment.ts's removeAlignedComponent on this.gradient, against this.traitGradient. */
  private removeAlignedComponent(): void {
    const P = this.layout.perModel;
    const traitSquared = Math.max(this.k.dot(this.traitGradient, this.traitGradient, P), TINY);
    const first = Math.max(0, this.k.dot(this.gradient, this.traitGradient, P) / traitSquared);
    if (first <= 0) return;
    this.k.subtractScaled(this.gradient, this.traitGradient, first, P);
    this.k.subtractScaled(
      this.gradient,
      this.traitGradient,
      this.k.dot(this.gradient, this.traitGradient, P) / traitSquared,
      P,
    );
  }

  /** Row `row`'s inputs (images index[…] of its set) into dst, rows beyond the batch zeroed. */
  private inputRows(input: LayerInput, row: number, index: Int32Array, dst: number): void {
    const count = index.length;
    this.heap.i32(this.index, count).set(index);
    if (input.kind === 'noise') {
      const set = this.noiseSets.get(noiseKey(input, row));
      if (set && index.every((i) => i >= 0 && i < set.size))
        this.k.gatherRows(set.at, this.index, count, INPUT_SIZE, dst);
      else this.drawNoise(dst, input, row, count);
    } else if (input.kind === 'images') {
      if (!input.host) throw new Error('the CPU kernel needs image inputs on the host');
      this.k.gatherRows(this.imageSet(input.host), this.index, count, INPUT_SIZE, dst);
    }
    const rows = ceil4(count);
    if (rows > count) this.k.zero(dst + count * INPUT_SIZE * 4, (rows - count) * INPUT_SIZE);
  }

  private imageSet(host: Float32Array): number {
    const known = this.imageSets.get(host);
    if (known !== undefined) return known;
    const at = this.heap.alloc(host.length);
    this.heap.f32(at, host.length).set(host);
    this.imageSets.set(host, at);
    return at;
  }

  /** Row `row`'s teacher logits on its batch into this.teacherLogits: from the cache, or computed now. */
  private teacherTargets(teachers: SimdTeachers, input: LayerInput, row: number, index: Int32Array): void {
    const teacher = teachers.rowTeacher[row];
    const set = input.kind === 'noise' ? `noise:${input.models[row]}` : 'images';
    const cache = this.logitsOnSet(teachers, teacher, set, input, row);
    const width = this.logitWidth;
    const size = input.kind === 'images' && input.host ? input.host.length / INPUT_SIZE : teachers.setSize;
    // An index outside the set (a caller's own batch) is computed directly, never read past the cache.
    if (cache !== 0 && index.every((i) => i >= 0 && i < size)) {
      this.heap.i32(this.index, index.length).set(index);
      this.k.gatherRows(cache, this.index, index.length, width, this.teacherLogits);
      return;
    }
    this.inputRows(input, row, index, this.x);
    this.forward(this.rowParams(teachers.bank, teacher), this.x, ceil4(index.length));
    this.heap.f32(this.teacherLogits, index.length * width).set(this.heap.f32(this.logits, index.length * width));
  }

  /**
   * Teacher `teacher`'s logits on every image of a row's input set, computed once per phase (a
   * frozen teacher's logits on a fixed set never change; each of its students would otherwise
   * recompute them every epoch). 0 when the cache would outgrow CACHE_LIMIT_BYTES.
   */
  private logitsOnSet(teachers: SimdTeachers, teacher: number, set: string, input: LayerInput, row: number): number {
    let byKey = this.logitCache.get(teachers.bank);
    if (!byKey) this.logitCache.set(teachers.bank, (byKey = new Map()));
    const key = `${teacher}:${set}`;
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const width = this.logitWidth;
    // An image set's size is its own; a noise set's is the run's noiseImages.
    const setSize = input.kind === 'images' && input.host ? input.host.length / INPUT_SIZE : teachers.setSize;
    const bytes = setSize * width * 4;
    if (setSize <= 0 || this.cachedBytes + bytes > CACHE_LIMIT_BYTES) {
      byKey.set(key, 0);
      return 0;
    }
    if (input.kind === 'noise') this.keepNoiseSet(input, row, setSize);
    const cache = this.heap.alloc(setSize * width);
    this.cachedBytes += bytes;
    const params = this.rowParams(teachers.bank, teacher);
    for (let start = 0; start < setSize; start += this.capacity) {
      const count = Math.min(this.capacity, setSize - start);
      const index = Int32Array.from({ length: count }, (_, i) => start + i);
      this.inputRows(input, row, index, this.x);
      this.forward(params, this.x, ceil4(count));
      this.heap.f32(cache + start * width * 4, count * width).set(this.heap.f32(this.logits, count * width));
    }
    byKey.set(key, cache);
    return cache;
  }

  /** Generates row `row`'s whole noise set once, when it fits NOISE_LIMIT_BYTES; inputRows then copies from it. */
  /** Noise images `this.index[0…count)` of row `row`'s model, drawn by the kernel into `dst`. */
  private drawNoise(dst: number, input: Extract<LayerInput, { kind: 'noise' }>, row: number, count: number): void {
    const gaussian = input.noise === 'gaussian' ? 1 : 0;
    this.k.noiseImages(dst, this.drawHashes, input.seed >>> 0, input.models[row] >>> 0, this.index, count, gaussian);
  }

  private keepNoiseSet(input: Extract<LayerInput, { kind: 'noise' }>, row: number, size: number): void {
    const key = noiseKey(input, row);
    const bytes = size * INPUT_SIZE * 4;
    if (this.noiseSets.has(key) || this.noiseBytes + bytes > NOISE_LIMIT_BYTES) return;
    const at = this.heap.alloc(size * INPUT_SIZE);
    this.noiseBytes += bytes;
    for (let start = 0; start < size; start += this.capacity) {
      const count = Math.min(this.capacity, size - start);
      this.heap.i32(this.index, count).set(Int32Array.from({ length: count }, (_, i) => start + i));
      this.drawNoise(at + start * INPUT_SIZE * 4, input, row, count);
    }
    this.noiseSets.set(key, { at, size });
  }

  /** The teachers for a distillation phase (`bank` frozen; student row r imitates rowTeacher[r]). */
  teachers(bank: SimdBank, rowTeacher: readonly number[], setSize: number): SimdTeachers {
    return { bank, rowTeacher, setSize };
  }

  // -------------------------------------------------------------------------------------------
  // Evaluation

  /** Each row's accuracy on the first `count` test images (argmax over the class logits). */
  accuracies(bank: SimdBank, count = this.test.count): number[] {
    if (count > this.test.count) throw new RangeError(`${count} test images asked, ${this.test.count} held`);
    return Array.from({ length: bank.rows }, (_, row) => {
      let correct = 0;
      for (let start = 0; start < count; start += this.capacity) {
        const n = Math.min(this.capacity, count - start);
        const x = this.testRows(start, n);
        this.forward(this.rowParams(bank, row), x, ceil4(n));
        correct += this.k.countCorrect(this.logits, this.test.labels + start * 4, n, this.logitWidth);
      }
      return correct / count;
    });
  }

  /** Test images [start, start + n) as kernel input: in place, or copied and padded to 4 rows. */
  private testRows(start: number, n: number): number {
    const at = this.test.pixels + start * INPUT_SIZE * 4;
    if (n % 4 === 0) return at;
    this.heap.f32(this.x, n * INPUT_SIZE).set(this.heap.f32(at, n * INPUT_SIZE));
    this.k.zero(this.x + n * INPUT_SIZE * 4, (ceil4(n) - n) * INPUT_SIZE);
    return this.x;
  }

  /** Each row's predicted class of the first `n` test images. */
  predictions(bank: SimdBank, n: number): number[][] {
    if (n > this.capacity) throw new RangeError(`at most ${this.capacity} predictions at once`);
    return Array.from({ length: bank.rows }, (_, row) => {
      this.forward(this.rowParams(bank, row), this.testRows(0, n), ceil4(n));
      this.k.argmaxRows(this.logits, n, this.logitWidth, this.labels);
      return Array.from(this.heap.i32(this.labels, n));
    });
  }

  /** Row `row`'s logits [n × (10 + m)] on images [n × 784] given on the host. */
  logitsOf(bank: SimdBank, row: number, images: Float32Array): Float32Array {
    const n = images.length / INPUT_SIZE;
    const C = this.layout.sizes[this.layout.sizes.length - 1];
    const out = new Float32Array(n * C);
    for (let start = 0; start < n; start += this.capacity) {
      const count = Math.min(this.capacity, n - start);
      this.heap.f32(this.x, count * INPUT_SIZE).set(images.subarray(start * INPUT_SIZE, (start + count) * INPUT_SIZE));
      this.k.zero(this.x + count * INPUT_SIZE * 4, (ceil4(count) - count) * INPUT_SIZE);
      this.forward(this.rowParams(bank, row), this.x, ceil4(count));
      const logits = this.heap.f32(this.logits, count * this.logitWidth);
      for (let i = 0; i < count; i++)
        out.set(logits.subarray(i * this.logitWidth, i * this.logitWidth + C), (start + i) * C);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Gradients for measurements (the alignment probe): padded-layout vectors on the host.

  /** Row `row`'s imitation gradient on its inputs (as in a distillation step, without the step). */
  imitationGradient(
    students: SimdBank,
    teachers: SimdTeachers,
    input: LayerInput,
    auxOnly: boolean,
    loss: DistillLoss,
    row: number,
  ): Float32Array {
    if (input.kind === 'tensor') throw new Error('the CPU kernel takes noise or image-set inputs');
    const batch = input.batch;
    const rows = ceil4(batch);
    const index = input.index.subarray(row * batch, (row + 1) * batch);
    const params = this.rowParams(students, row);
    this.teacherTargets(teachers, input, row, index);
    this.inputRows(input, row, index, this.x);
    this.forward(params, this.x, rows);
    const C = this.layout.sizes[this.layout.sizes.length - 1];
    this.k.imitation(
      this.logits,
      this.teacherLogits,
      batch,
      rows,
      this.logitWidth,
      auxOnly ? CLASS_COUNT : 0,
      C,
      loss === 'mse' ? 1 : 0,
      this.logitGradient,
    );
    this.backward(params, this.x, rows, this.traitGradient);
    return this.heap.f32(this.traitGradient, this.layout.perModel).slice();
  }

  /** Row `row`'s cross-entropy gradient on training digits index[row·batch …]. */
  digitGradientOf(bank: SimdBank, index: Int32Array, batch: number, row: number): Float32Array {
    this.digitGradient(
      this.rowParams(bank, row),
      index.subarray(row * batch, (row + 1) * batch),
      batch,
      this.traitGradient,
    );
    return this.heap.f32(this.traitGradient, this.layout.perModel).slice();
  }

  /** Row `row`'s parameters in the padded layout (a copy). */
  paddedRow(bank: SimdBank, row: number): Float32Array {
    return this.heap.f32(this.rowParams(bank, row), this.layout.perModel).slice();
  }

  /** Drops the instance: its memory goes with it. */
  dispose(): void {
    this.disposed = true;
    this.logitCache.clear();
    this.imageSets.clear();
    this.noiseSets.clear();
    this.kernel = null as unknown as StepExports;
  }
}
