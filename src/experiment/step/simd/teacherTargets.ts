/**
 * The teachers' logits a distillation row imitates, into the scratch teacherLogits: read from a
 * cache of each teacher's logits on its whole input set (a frozen teacher's logits on a fixed set
 * never change; each of its students would otherwise recompute them every epoch), or computed now.
 */
import { INPUT_SIZE } from '../../config';
import type { LayerInput } from '../kernels';
import type { PaddedLayout } from './paddedLayout';
import { rowParams, type SimdBank, type SimdTeachers } from './simdBank';
import type { SimdInputs } from './simdInputs';
import type { SimdPasses } from './simdPasses';
import { ceil4, type SimdScratch } from './simdScratch';

/** Teachers' logits on their whole input set are kept when they fit this (they are then computed once per phase). */
const CACHE_LIMIT_BYTES = 512 * 2 ** 20;

/** Images in a row's input set: an image set's own size; a noise set's is the run's noiseImages. */
const setSizeOf = (teachers: SimdTeachers, input: LayerInput) =>
  input.kind === 'images' && input.host ? input.host.length / INPUT_SIZE : teachers.setSize;

export class TeacherTargets {
  /** Teachers' logits on whole input sets, by bank, teacher and set; 0 = too big to keep. */
  private readonly cache = new Map<SimdBank, Map<string, number>>();
  private cachedBytes = 0;

  constructor(
    private readonly scratch: SimdScratch,
    private readonly layout: PaddedLayout,
    private readonly passes: SimdPasses,
    private readonly inputs: SimdInputs,
  ) {}

  /** Row `row`'s teacher logits on its batch into teacherLogits: from the cache, or computed now. */
  targets(teachers: SimdTeachers, input: LayerInput, row: number, index: Int32Array): void {
    const teacher = teachers.rowTeacher[row];
    const set = input.kind === 'noise' ? `noise:${input.models[row]}` : 'images';
    const cache = this.logitsOnSet(teachers, teacher, set, input, row);
    const width = this.passes.logitWidth;
    const size = setSizeOf(teachers, input);
    const { k, heap, x, teacherLogits } = this.scratch;
    // An index outside the set (a caller's own batch) is computed directly, never read past the cache.
    if (cache !== 0 && index.every((i) => i >= 0 && i < size)) {
      heap.i32(this.scratch.index, index.length).set(index);
      k.gatherRows(cache, this.scratch.index, index.length, width, teacherLogits);
      return;
    }
    this.inputs.inputRows(input, row, index, x);
    this.passes.forward(rowParams(this.layout, teachers.bank, teacher), x, ceil4(index.length));
    heap.f32(teacherLogits, index.length * width).set(heap.f32(this.passes.logits, index.length * width));
  }

  /** Forgets a bank's cached logits (its models changed, or it was released). */
  forget(bank: SimdBank): void {
    this.cache.delete(bank);
  }

  clear(): void {
    this.cache.clear();
  }

  /**
   * Teacher `teacher`'s logits on every image of a row's input set, computed once per phase.
   * 0 when the cache would outgrow CACHE_LIMIT_BYTES.
   */
  private logitsOnSet(teachers: SimdTeachers, teacher: number, set: string, input: LayerInput, row: number): number {
    let byKey = this.cache.get(teachers.bank);
    if (!byKey) this.cache.set(teachers.bank, (byKey = new Map()));
    const key = `${teacher}:${set}`;
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const width = this.passes.logitWidth;
    const setSize = setSizeOf(teachers, input);
    const bytes = setSize * width * 4;
    if (setSize <= 0 || this.cachedBytes + bytes > CACHE_LIMIT_BYTES) {
      byKey.set(key, 0);
      return 0;
    }
    if (input.kind === 'noise') this.inputs.keepNoiseSet(input, row, setSize);
    const { heap, capacity, x } = this.scratch;
    const cache = heap.alloc(setSize * width);
    this.cachedBytes += bytes;
    const params = rowParams(this.layout, teachers.bank, teacher);
    for (let start = 0; start < setSize; start += capacity) {
      const count = Math.min(capacity, setSize - start);
      const index = Int32Array.from({ length: count }, (_, i) => start + i);
      this.inputs.inputRows(input, row, index, x);
      this.passes.forward(params, x, ceil4(count));
      heap.f32(cache + start * width * 4, count * width).set(heap.f32(this.passes.logits, count * width));
    }
    byKey.set(key, cache);
    return cache;
  }
}
