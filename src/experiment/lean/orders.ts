/**
 * Which samples each row of a stack sees, as host indices: every row has its own shuffle of its
 * set each epoch, drawn from the stream (seed, purpose, row's global id, epoch). Global ids (not
 * positions in the stack) are what make a chunk of models train exactly as it would in the whole.
 */
import { Random } from '../random';

export class EpochOrders {
  private orders: Int32Array[] = [];

  constructor(
    private readonly seed: number,
    private readonly purpose: 'shuffle' | 'noise-order',
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
