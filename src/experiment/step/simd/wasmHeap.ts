/**
 * The kernel's memory as the host sees it: a bump allocator over the instance's linear memory
 * (everything a run needs is placed once and lives until the instance is dropped), and typed
 * views that are made afresh after the memory grows (growing detaches the old ones).
 */
import type { StepExports } from './stepModule';

const PAGE = 65536;
/** Buffers start on cache lines. */
const ALIGN = 64;

export class WasmHeap {
  private top: number;

  constructor(readonly kernel: StepExports) {
    this.top = Math.ceil(kernel.heapBase() / ALIGN) * ALIGN;
  }

  /** A new zeroed buffer of `count` 4-byte values; its byte offset. */
  alloc(count: number): number {
    const at = Math.ceil(this.top / ALIGN) * ALIGN;
    const end = at + count * 4;
    const memory = this.kernel.memory;
    if (end > memory.buffer.byteLength) {
      const pages = Math.ceil((end - memory.buffer.byteLength) / PAGE);
      try {
        memory.grow(pages);
      } catch {
        throw new RangeError(
          `the CPU kernel's memory cannot grow to ${Math.ceil(end / 2 ** 20)} MB (WebAssembly's limit is 4096 MB)`,
        );
      }
    }
    this.top = end;
    return at; // fresh pages are zero, and nothing is ever freed, so the buffer is zero
  }

  /** Bytes in use. */
  get bytes(): number {
    return this.top;
  }

  f32(ptr: number, count: number): Float32Array {
    return new Float32Array(this.kernel.memory.buffer, ptr, count);
  }

  i32(ptr: number, count: number): Int32Array {
    return new Int32Array(this.kernel.memory.buffer, ptr, count);
  }
}
