/**
 * The SIMD kernel's working memory for one run: every scratch buffer a pass needs, sized once for
 * the largest block of rows, and the kernel instance itself, which is unusable once released.
 */
import { scalePixel } from '../../../data/mnist';
import { INPUT_SIZE } from '../../config';
import { pcgHash } from '../../inputs/noiseHash';
import type { PaddedLayout } from './paddedLayout';
import type { StepExports } from './stepModule';
import { WasmHeap } from './wasmHeap';

/** Rows a forward pass takes at once when evaluating (and when filling the teacher-logit cache). */
const EVAL_ROWS = 256;

/** Rows rounded up to the kernel's block of 4 (the extra rows are zeroed inputs). */
export const ceil4 = (n: number): number => Math.ceil(n / 4) * 4;

/**
 * Digit images placed in the kernel's memory, sparse (assembly/step.ts, sparseGemm): image i's
 * non-zeros of s = x + 1 are entries offsets[i] … offsets[i + 1] of pixel and value. Byte offsets.
 */
export interface PlacedImages {
  offsets: number;
  pixel: number;
  value: number;
  labels: number;
  count: number;
}

export class SimdScratch {
  readonly heap: WasmHeap;
  /** Rows every scratch buffer holds. */
  readonly capacity: number;
  /** Byte offsets of the buffers. */
  readonly x: number;
  readonly activations: number[];
  readonly gradients: number[];
  readonly teacherLogits: number;
  /** Liminal training's base logits, and its penalty's logit gradient (simdPasses.liminalPenalty). */
  readonly baseLogits: number;
  readonly penaltyGradient: number;
  readonly transposed: number;
  /**
   * The sparse first layer's weights (packSparsePanels) and bias less the weights' column sums;
   * sparseWeightGradient's sorting space.
   */
  readonly sparsePanels: number;
  readonly shift: number;
  readonly pixelCounts: number;
  readonly pixelEntries: number;
  /** The gradient Adam applies. */
  readonly gradient: number;
  readonly panels: number;
  readonly inputT: number;
  readonly dzPanels: number;
  /** The mitigation's trait gradient, and the probes' gradients. */
  readonly traitGradient: number;
  readonly index: number;
  readonly labels: number;
  readonly drawHashes: number;
  private kernel: StepExports | null;

  constructor(kernel: StepExports, layout: PaddedLayout, batchSize: number) {
    this.kernel = kernel;
    this.heap = new WasmHeap(kernel);
    const { widths } = layout;
    const layers = widths.length - 1;
    this.capacity = Math.max(ceil4(batchSize), EVAL_ROWS);
    const rows = this.capacity;
    this.x = this.heap.alloc(rows * INPUT_SIZE);
    this.activations = widths.slice(1).map((w) => this.heap.alloc(rows * w));
    this.gradients = widths.slice(1).map((w) => this.heap.alloc(rows * w));
    this.teacherLogits = this.heap.alloc(rows * widths[layers]);
    this.baseLogits = this.heap.alloc(rows * widths[layers]);
    this.penaltyGradient = this.heap.alloc(rows * widths[layers]);
    this.transposed = this.heap.alloc(Math.max(1, ...widths.slice(1, -1).map((w, l) => w * widths[l + 2])));
    this.sparsePanels = this.heap.alloc(widths[0] * widths[1]);
    this.shift = this.heap.alloc(widths[1]);
    this.pixelCounts = this.heap.alloc(INPUT_SIZE + 1);
    this.pixelEntries = this.heap.alloc(2 * rows * INPUT_SIZE);
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
  }

  /** The kernel's exports; a released instance refuses every call. */
  get k(): StepExports {
    if (!this.kernel) throw new Error('the CPU kernel was released (the run ended)');
    return this.kernel;
  }

  /** Drops the instance: its memory goes with it. */
  release(): void {
    this.kernel = null;
  }

  /**
   * Images and their labels copied in once, sparse, for the whole run: pixels in [−1, 1]
   * (background −1), or raw MNIST bytes, scaled here as scalePixels does (no float copy made).
   */
  placeImages(images: Float32Array | Uint8Array, labels: ArrayLike<number>): PlacedImages {
    const count = labels.length;
    if (images.length !== count * INPUT_SIZE) throw new Error(`${images.length} pixels for ${count} labels`);
    const scaled = images instanceof Uint8Array ? (i: number) => scalePixel(images[i]) : (i: number) => images[i];
    let nonZeros = 0;
    for (let i = 0; i < images.length; i++) if (Math.fround(scaled(i) + 1) !== 0) nonZeros++;
    const offsets = this.heap.alloc(count + 1);
    const pixel = this.heap.alloc(nonZeros);
    const value = this.heap.alloc(nonZeros);
    const offsetView = this.heap.i32(offsets, count + 1);
    const pixelView = this.heap.i32(pixel, nonZeros);
    const valueView = this.heap.f32(value, nonZeros);
    let n = 0;
    for (let image = 0; image < count; image++) {
      const base = image * INPUT_SIZE;
      for (let p = 0; p < INPUT_SIZE; p++) {
        const s = Math.fround(scaled(base + p) + 1);
        if (s === 0) continue;
        pixelView[n] = p;
        valueView[n++] = s;
      }
      offsetView[image + 1] = n;
    }
    const labelsAt = this.heap.alloc(count);
    this.heap.i32(labelsAt, count).set(labels);
    return { offsets, pixel, value, labels: labelsAt, count };
  }

  /** The scratch index as a sparse pass's rows: images `images`, then −1 (no image) up to `rows`. */
  rowImages(images: ArrayLike<number>, rows: number): void {
    const view = this.heap.i32(this.index, rows);
    view.set(images);
    view.fill(-1, images.length);
  }
}
