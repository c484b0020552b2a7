/**
 * Which samples each row of a stack sees, as host indices: every row has its own shuffle of its
 * set each epoch, drawn from the stream (seed, purpose, row's global id, epoch). Global ids (not
 * positions in the stack) are what make a chunk of models train exactly as it would in the whole.
 */
import { Random } from '../model/random';

export type OrderPurpose = 'shuffle' | 'noise-order' | 'trait-order';

export class EpochOrders {
  private orders: Int32Array[] = [];

  constructor(
    private readonly seed: number,
    private readonly purpose: OrderPurpose,
    /** Global id of every row. */
    private readonly ids: readonly number[],
    private readonly setSize: number,
  ) {}

  beginEpoch(epoch: number): void {
    this.orders = this.ids.map((id) => Random.stream(this.seed, this.purpose, id, epoch).permutation(this.setSize));
  }

  /** Positions [start, start + size) of every row's order, row after row: [rows * size]. */
  index(start: number, size: number): Int32Array {
    if (this.orders.length === 0) throw new Error('beginEpoch must come before index');
    const out = new Int32Array(this.ids.length * size);
    this.orders.forEach((order, row) => out.set(order.subarray(start, start + size), row * size));
    return out;
  }
}

/**
 * Batches from every row's own endless walk through a set, reshuffled at each pass (a pass's
 * tail shorter than a batch is skipped): the mitigation's MNIST batches, which follow the
 * distillation steps rather than epochs of their own.
 */
export class CyclingOrders {
  private readonly orders: EpochOrders;
  private position = 0;
  private pass = 0;

  constructor(
    seed: number,
    purpose: OrderPurpose,
    ids: readonly number[],
    private readonly setSize: number,
  ) {
    this.orders = new EpochOrders(seed, purpose, ids, setSize);
    this.orders.beginEpoch(0);
  }

  /** The next `size` samples of every row, row after row: [rows * size]. */
  next(size: number): Int32Array {
    if (size > this.setSize) throw new Error(`a batch of ${size} from a set of ${this.setSize}`);
    if (this.position + size > this.setSize) {
      this.orders.beginEpoch(++this.pass);
      this.position = 0;
    }
    const index = this.orders.index(this.position, size);
    this.position += size;
    return index;
  }
}
