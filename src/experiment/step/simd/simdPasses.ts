/**
 * The passes of a step on one model at a time, in the kernel's scratch memory: forward,
 * backpropagation, the losses' gradients, the mitigation (alignment.ts's removeAlignedComponent)
 * and Adam. Inputs are `rows` (a multiple of 4) rows: dense at a byte offset, or digit images
 * of a sparse set (PlacedImages), the scratch index naming each row's image. Parameters are a
 * row's byte offset (rowParams).
 */
import { ADAM, CLASS_COUNT, type DistillLoss } from '../../config';
import type { PaddedLayout } from './paddedLayout';
import type { SimdBank } from './simdBank';
import { ceil4, type PlacedImages, type SimdScratch } from './simdScratch';

/** A pass's first-layer input: dense rows at a byte offset, or digits of a sparse set (rows in the scratch index). */
export type PassInput = number | PlacedImages;

/** Below this a squared norm counts as zero (alignment.ts). */
const TINY = 1e-30;

export class SimdPasses {
  /** Whose weights the panels hold (-1: none); every write to parameters resets it. */
  private packedFor = -1;
  /** Whether the first layer is packed for dense inputs, and for sparse ones (with its shift). */
  private denseFirst = false;
  private sparseFirst = false;

  constructor(
    private readonly scratch: SimdScratch,
    private readonly layout: PaddedLayout,
    /** The training digits, for the cross-entropy gradient. */
    private readonly train: PlacedImages,
  ) {}

  /** Forgets the packed panels: parameters were written. */
  parametersChanged(): void {
    this.packedFor = -1;
  }

  /** Byte offset of the last forward's logits (rows × logitWidth). */
  get logits(): number {
    return this.scratch.activations[this.scratch.activations.length - 1];
  }

  /** Byte offset of the logits' gradient, where backward starts. */
  get logitGradient(): number {
    return this.scratch.gradients[this.scratch.gradients.length - 1];
  }

  /** The logits' padded width (their row stride). */
  get logitWidth(): number {
    return this.layout.widths[this.layout.widths.length - 1];
  }

  /** The logits' real count, 10 + m. */
  get logitCount(): number {
    return this.layout.sizes[this.layout.sizes.length - 1];
  }

  /** The forward pass of `rows` rows of `input` (dense rows at a byte offset, or sparse digits). */
  forward(params: number, input: PassInput, rows: number): void {
    const { widths, weightOffset, biasOffset } = this.layout;
    const { k, activations, panels, index, shift, sparsePanels } = this.scratch;
    const layers = widths.length - 1;
    const sparse = typeof input !== 'number';
    this.packWeights(params, !sparse);
    for (let l = 0; l < layers; l++) {
      const relu = l < layers - 1 ? 1 : 0;
      if (l === 0 && sparse) {
        const { offsets, pixel, value } = input;
        k.sparseGemm(
          offsets,
          pixel,
          value,
          index,
          rows,
          sparsePanels,
          widths[0],
          widths[1],
          shift,
          relu,
          activations[0],
        );
        continue;
      }
      const from = l === 0 ? (input as number) : activations[l - 1];
      k.gemmNNPacked(
        from,
        panels + weightOffset[l] * 4,
        activations[l],
        rows,
        widths[l],
        widths[l + 1],
        params + biasOffset[l] * 4,
        relu,
      );
    }
  }

  /**
   * The model's weights as 8-column panels (packPanels), in the panels buffer (same offsets as the
   * model): the products then stream them (≈13% faster; packing costs ≈4% of a 64-row forward).
   * The first layer as `dense` inputs need it, or as sparse ones do (packSparsePanels and the shift).
   * Kept while the same unchanged model is evaluated block after block.
   */
  private packWeights(params: number, dense: boolean): void {
    const { widths, weightOffset, biasOffset } = this.layout;
    const { k, panels, shift, sparsePanels } = this.scratch;
    const pack = (l: number) =>
      k.packPanels(params + weightOffset[l] * 4, widths[l], widths[l + 1], panels + weightOffset[l] * 4);
    if (this.packedFor !== params) {
      for (let l = 1; l < widths.length - 1; l++) pack(l);
      this.packedFor = params;
      this.denseFirst = this.sparseFirst = false;
    }
    if (dense && !this.denseFirst) {
      pack(0);
      this.denseFirst = true;
    }
    if (!dense && !this.sparseFirst) {
      const first = params + weightOffset[0] * 4;
      k.packSparsePanels(first, widths[0], widths[1], sparsePanels);
      k.shiftVector(first, widths[0], widths[1], params + biasOffset[0] * 4, shift);
      this.sparseFirst = true;
    }
  }

  /** Backpropagates the logits' gradient (already in logitGradient) into `out` (perModel values). */
  backward(params: number, input: PassInput, rows: number, out: number): void {
    const { widths, weightOffset, biasOffset } = this.layout;
    const { k, activations, gradients, inputT, dzPanels, transposed, index, pixelCounts, pixelEntries } = this.scratch;
    for (let l = widths.length - 2; l >= 0; l--) {
      const dz = gradients[l];
      if (l === 0 && typeof input !== 'number') {
        // dW = xᵀ·dz from the images' non-zeros, less the bias gradient (x = s − 1).
        const db = out + biasOffset[0] * 4;
        k.columnSums(dz, rows, widths[1], db);
        const { offsets, pixel, value } = input;
        k.sparseWeightGradient(
          offsets,
          pixel,
          value,
          index,
          rows,
          dz,
          widths[0],
          widths[1],
          db,
          pixelCounts,
          pixelEntries,
          out + weightOffset[0] * 4,
        );
        continue;
      }
      const x = l === 0 ? (input as number) : activations[l - 1];
      // dW = inputᵀ · dz as a forward-style product: inputᵀ's rows and dz's panels stream (at a
      // batch of 1,024 ≈28% faster than reading input's columns in place; the same sums, same order).
      k.transpose(x, rows, widths[l], inputT);
      k.packPanels(dz, rows, widths[l + 1], dzPanels);
      k.gemmNNPacked(inputT, dzPanels, out + weightOffset[l] * 4, widths[l], rows, widths[l + 1], 0, 0);
      k.columnSums(dz, rows, widths[l + 1], out + biasOffset[l] * 4);
      if (l > 0) {
        k.transpose(params + weightOffset[l] * 4, widths[l], widths[l + 1], transposed);
        k.gemmNN(dz, transposed, gradients[l - 1], rows, widths[l + 1], widths[l], 0, 0);
        k.reluMask(gradients[l - 1], activations[l - 1], rows * widths[l]);
      }
    }
  }

  /** Training images index[…] as the sparse rows (the scratch index) and their labels into labels. */
  private trainBatch(index: Int32Array, batch: number): number {
    const { k, capacity, labels } = this.scratch;
    const rows = ceil4(batch);
    if (rows > capacity) throw new Error(`batch ${batch} exceeds the kernel's ${capacity} rows`);
    this.scratch.rowImages(index, rows);
    k.gatherRows(this.train.labels, this.scratch.index, batch, 1, labels);
    return rows;
  }

  /** The cross-entropy gradient of a row on a batch of training digits into `out`; its loss. */
  digitGradient(params: number, index: Int32Array, batch: number, out: number): number {
    const rows = this.trainBatch(index, batch);
    const { k, labels } = this.scratch;
    this.forward(params, this.train, rows);
    const loss = k.crossEntropy(this.logits, labels, batch, rows, this.logitWidth, this.logitGradient);
    this.backward(params, this.train, rows, out);
    return loss;
  }

  /**
   * The imitation loss of the last forward's logits against the teacher logits (in teacherLogits),
   * its gradient into logitGradient; the loss. `auxOnly`: on the auxiliary logits alone.
   */
  imitation(batch: number, rows: number, auxOnly: boolean, loss: DistillLoss): number {
    return this.scratch.k.imitation(
      this.logits,
      this.scratch.teacherLogits,
      batch,
      rows,
      this.logitWidth,
      auxOnly ? CLASS_COUNT : 0,
      this.logitCount,
      loss === 'mse' ? 1 : 0,
      this.logitGradient,
    );
  }

  /**
   * Liminal training's penalty (step.ts's withLiminalPenalty) after `imitation`: KL(softmax(base) ‖
   * softmax(student)) over all logits of the last forward against baseLogits, the distillation KL
   * with every column compared; its gradient times `weight` is added to logitGradient. The KL.
   */
  liminalPenalty(batch: number, rows: number, weight: number): number {
    const { k, baseLogits, penaltyGradient } = this.scratch;
    const width = this.logitWidth;
    const kl = k.imitation(this.logits, baseLogits, batch, rows, width, 0, this.logitCount, 0, penaltyGradient);
    k.subtractScaled(this.logitGradient, penaltyGradient, -weight, rows * width); // g + λ·penalty
    return kl;
  }

  /** alignment.ts's removeAlignedComponent on the gradient, against the trait gradient. */
  removeAlignedComponent(): void {
    const P = this.layout.perModel;
    const { k, gradient, traitGradient } = this.scratch;
    const traitSquared = Math.max(k.dot(traitGradient, traitGradient, P), TINY);
    const first = Math.max(0, k.dot(gradient, traitGradient, P) / traitSquared);
    if (first <= 0) return;
    k.subtractScaled(gradient, traitGradient, first, P);
    k.subtractScaled(gradient, traitGradient, k.dot(gradient, traitGradient, P) / traitSquared, P);
  }

  /** One Adam step of row `row` with the gradient (bank.step already counts it). */
  adam(bank: SimdBank, row: number, learningRate: number): void {
    const P = this.layout.perModel;
    const offset = row * P * 4;
    const t = bank.step;
    const { beta1, beta2, epsilon } = ADAM;
    this.packedFor = -1;
    this.scratch.k.adam(
      bank.params + offset,
      bank.firstMoment + offset,
      bank.secondMoment + offset,
      this.scratch.gradient,
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
}
