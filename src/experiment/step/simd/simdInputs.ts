/**
 * A distillation row's inputs as kernel rows: noise drawn by the kernel (or copied from a whole
 * noise set kept once drawn), or images gathered from a host image set copied in once.
 */
import { INPUT_SIZE } from '../../config';
import type { LayerInput } from '../kernels';
import { ceil4, type SimdScratch } from './simdScratch';

/** Noise sets are kept (generated once, then copied per batch) while they fit this. */
const NOISE_LIMIT_BYTES = 256 * 2 ** 20;

export type NoiseInput = Extract<LayerInput, { kind: 'noise' }>;

const noiseKey = (input: NoiseInput, row: number) => `${input.noise}:${input.seed >>> 0}:${input.models[row]}`;

export class SimdInputs {
  /** Host image sets copied in (distillation on MNIST-based inputs), by identity. */
  private readonly imageSets = new Map<Float32Array, number>();
  /** Whole noise sets, by kind, seed and model (4 students share each, 2+ epochs go through it). */
  private readonly noiseSets = new Map<string, { at: number; size: number }>();
  private noiseBytes = 0;

  constructor(private readonly scratch: SimdScratch) {}

  /** Row `row`'s inputs (images index[…] of its set) into dst, rows beyond the batch zeroed. */
  inputRows(input: LayerInput, row: number, index: Int32Array, dst: number): void {
    const { k, heap } = this.scratch;
    const count = index.length;
    heap.i32(this.scratch.index, count).set(index);
    if (input.kind === 'noise') {
      const set = this.noiseSets.get(noiseKey(input, row));
      if (set && index.every((i) => i >= 0 && i < set.size))
        k.gatherRows(set.at, this.scratch.index, count, INPUT_SIZE, dst);
      else this.drawNoise(dst, input, row, count);
    } else if (input.kind === 'images') {
      if (!input.host) throw new Error('the CPU kernel needs image inputs on the host');
      k.gatherRows(this.imageSet(input.host), this.scratch.index, count, INPUT_SIZE, dst);
    }
    const rows = ceil4(count);
    if (rows > count) k.zero(dst + count * INPUT_SIZE * 4, (rows - count) * INPUT_SIZE);
  }

  private imageSet(host: Float32Array): number {
    const known = this.imageSets.get(host);
    if (known !== undefined) return known;
    const { heap } = this.scratch;
    const at = heap.alloc(host.length);
    heap.f32(at, host.length).set(host);
    this.imageSets.set(host, at);
    return at;
  }

  /** Noise images `index[0…count)` (the scratch index) of row `row`'s model, drawn by the kernel into `dst`. */
  private drawNoise(dst: number, input: NoiseInput, row: number, count: number): void {
    const gaussian = input.noise === 'gaussian' ? 1 : 0;
    const { k, drawHashes, index } = this.scratch;
    k.noiseImages(dst, drawHashes, input.seed >>> 0, input.models[row] >>> 0, index, count, gaussian);
  }

  /** Generates row `row`'s whole noise set once, when it fits NOISE_LIMIT_BYTES; inputRows then copies from it. */
  keepNoiseSet(input: NoiseInput, row: number, size: number): void {
    const key = noiseKey(input, row);
    const bytes = size * INPUT_SIZE * 4;
    if (this.noiseSets.has(key) || this.noiseBytes + bytes > NOISE_LIMIT_BYTES) return;
    const { heap, capacity, index } = this.scratch;
    const at = heap.alloc(size * INPUT_SIZE);
    this.noiseBytes += bytes;
    for (let start = 0; start < size; start += capacity) {
      const count = Math.min(capacity, size - start);
      heap.i32(index, count).set(Int32Array.from({ length: count }, (_, i) => start + i));
      this.drawNoise(at + start * INPUT_SIZE * 4, input, row, count);
    }
    this.noiseSets.set(key, { at, size });
  }

  /** Forgets the sets (the run ended). */
  clear(): void {
    this.imageSets.clear();
    this.noiseSets.clear();
  }
}
