/**
 * Models held in the kernel's memory, a bank at a time: each row's parameters (and Adam's moments
 * when trainable) follow each other in one plane per kind, in the padded layout (paddedLayout.ts).
 * A released bank's memory is reused by the next bank of its size and kind (a chain's generations),
 * since the kernel's memory is never freed.
 */
import type { HostParameters } from '../../model/mlp';
import { packModel, unpackModel, type PaddedLayout } from './paddedLayout';
import type { WasmHeap } from './wasmHeap';

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

/** Byte offset of row `row`'s parameters. */
export function rowParams(layout: PaddedLayout, bank: SimdBank, row: number): number {
  return bank.params + row * layout.perModel * 4;
}

const bankKind = (rows: number, trainable: boolean) => `${rows}:${trainable}`;

/** Banks' memory: placed on demand, reused after release, written and read row by row. */
export class SimdBanks {
  private readonly free = new Map<string, SimdBank[]>();

  constructor(
    private readonly heap: WasmHeap,
    private readonly layout: PaddedLayout,
  ) {}

  /** Memory for a bank of `rows` models: a released bank's, or new (its contents are the caller's to write). */
  take(rows: number, trainable: boolean): SimdBank {
    const reused = this.free.get(bankKind(rows, trainable))?.pop();
    if (reused) return reused;
    const P = this.layout.perModel;
    const params = this.heap.alloc(rows * P);
    return trainable
      ? new SimdBank(rows, params, this.heap.alloc(rows * P), this.heap.alloc(rows * P))
      : new SimdBank(rows, params, 0, 0);
  }

  /** Hands a bank back for the next take of its size and kind. */
  release(bank: SimdBank): void {
    const key = bankKind(bank.rows, bank.trainable);
    const free = this.free.get(key) ?? [];
    if (!free.includes(bank)) free.push(bank);
    this.free.set(key, free);
  }

  /** Overwrites a bank's models; Adam's moments and step restart. */
  write(bank: SimdBank, models: readonly HostParameters[]): void {
    if (models.length !== bank.rows) throw new Error(`${models.length} models for a bank of ${bank.rows}`);
    const P = this.layout.perModel;
    const all = this.heap.f32(bank.params, bank.rows * P);
    all.fill(0);
    models.forEach((model, row) => packModel(this.layout, model, all.subarray(row * P, (row + 1) * P)));
    if (bank.trainable) {
      this.heap.f32(bank.firstMoment, bank.rows * P).fill(0);
      this.heap.f32(bank.secondMoment, bank.rows * P).fill(0);
    }
    bank.step = 0;
  }

  readRow(bank: SimdBank, row: number): HostParameters {
    if (row < 0 || row >= bank.rows) throw new RangeError(`row ${row} is outside a bank of ${bank.rows} models`);
    return unpackModel(this.layout, this.paddedView(bank, row));
  }

  /** Row `row`'s parameters in the padded layout (a copy). */
  paddedRow(bank: SimdBank, row: number): Float32Array {
    return this.paddedView(bank, row).slice();
  }

  private paddedView(bank: SimdBank, row: number): Float32Array {
    return this.heap.f32(rowParams(this.layout, bank, row), this.layout.perModel);
  }
}
