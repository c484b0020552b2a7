/**
 * Evaluation on the kernel: accuracy and predictions on the test images copied in at the start,
 * and logits on images given by the host; a model's rows go through in blocks of the scratch capacity.
 */
import { INPUT_SIZE } from '../../config';
import type { PaddedLayout } from './paddedLayout';
import { rowParams, type SimdBank } from './simdBank';
import type { SimdPasses } from './simdPasses';
import { ceil4, type PlacedImages, type SimdScratch } from './simdScratch';

export class SimdEvaluation {
  constructor(
    private readonly scratch: SimdScratch,
    private readonly layout: PaddedLayout,
    private readonly passes: SimdPasses,
    private readonly test: PlacedImages,
  ) {}

  /** Test images held. */
  get testCount(): number {
    return this.test.count;
  }

  /** Each row's accuracy on the first `count` test images (argmax over the class logits). */
  accuracies(bank: SimdBank, count: number): number[] {
    if (count > this.test.count) throw new RangeError(`${count} test images asked, ${this.test.count} held`);
    const { capacity } = this.scratch;
    return Array.from({ length: bank.rows }, (_, row) => {
      let correct = 0;
      for (let start = 0; start < count; start += capacity) {
        const n = Math.min(capacity, count - start);
        this.testRows(start, n);
        this.passes.forward(rowParams(this.layout, bank, row), this.test, ceil4(n));
        correct += this.scratch.k.countCorrect(
          this.passes.logits,
          this.test.labels + start * 4,
          n,
          this.passes.logitWidth,
        );
      }
      return correct / count;
    });
  }

  /** Each row's predicted class of the first `n` test images. */
  predictions(bank: SimdBank, n: number): number[][] {
    const { capacity, heap, labels } = this.scratch;
    if (n > capacity) throw new RangeError(`at most ${capacity} predictions at once`);
    return Array.from({ length: bank.rows }, (_, row) => {
      this.testRows(0, n);
      this.passes.forward(rowParams(this.layout, bank, row), this.test, ceil4(n));
      this.scratch.k.argmaxRows(this.passes.logits, n, this.passes.logitWidth, labels);
      return Array.from(heap.i32(labels, n));
    });
  }

  /** Row `row`'s logits [n × (10 + m)] on images [n × 784] given on the host. */
  logitsOf(bank: SimdBank, row: number, images: Float32Array): Float32Array {
    const n = images.length / INPUT_SIZE;
    const C = this.passes.logitCount;
    const width = this.passes.logitWidth;
    const { capacity, heap, x } = this.scratch;
    const out = new Float32Array(n * C);
    for (let start = 0; start < n; start += capacity) {
      const count = Math.min(capacity, n - start);
      heap.f32(x, count * INPUT_SIZE).set(images.subarray(start * INPUT_SIZE, (start + count) * INPUT_SIZE));
      this.scratch.k.zero(x + count * INPUT_SIZE * 4, (ceil4(count) - count) * INPUT_SIZE);
      this.passes.forward(rowParams(this.layout, bank, row), x, ceil4(count));
      const logits = heap.f32(this.passes.logits, count * width);
      for (let i = 0; i < count; i++) out.set(logits.subarray(i * width, i * width + C), (start + i) * C);
    }
    return out;
  }

  /** Test images [start, start + n) as the sparse rows of a pass (the scratch index, padded to 4 rows). */
  private testRows(start: number, n: number): void {
    this.scratch.rowImages(
      Int32Array.from({ length: n }, (_, i) => start + i),
      ceil4(n),
    );
  }
}
