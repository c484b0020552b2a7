/**
 * Loads the CPU step kernel, compiled from assembly/step.ts by `npm run build:kernel` twice:
 * step.relaxed.wasm (relaxed SIMD: fused multiply-adds) where the runtime validates relaxed SIMD,
 * step.wasm (plain 128-bit SIMD) elsewhere. Both are held to the same oracle (the tests, and the
 * known-answer check before a run). The URLs are written as `new URL('./step.wasm', import.meta.url)`
 * on purpose: Vite emits the files as assets for the page and its workers, and the CLI bundle copies
 * them next to its JS file, so the same expression finds them everywhere. Node reads the file;
 * browsers and workers fetch it. Each variant is compiled once per realm; each run gets its own
 * instance (its own memory).
 */

/** Which build of the kernel: relaxed SIMD (fused multiply-add) or plain SIMD. */
export type StepVariant = 'relaxed' | 'simd128';

/** The kernel's exports (pointers are byte offsets into `memory`; see assembly/step.ts). */
export interface StepExports {
  /** The build this instance runs (not an export of the module: the loader adds it). */
  variant: StepVariant;
  memory: WebAssembly.Memory;
  gemmNN(a: number, b: number, c: number, M: number, K: number, N: number, bias: number, relu: number): void;
  packPanels(b: number, K: number, N: number, out: number): void;
  gemmNNPacked(a: number, b: number, c: number, M: number, K: number, N: number, bias: number, relu: number): void;
  shiftVector(w: number, K: number, N: number, bias: number, shift: number): void;
  packSparsePanels(w: number, K: number, N: number, out: number): void;
  sparseGemm(
    offsets: number,
    pixel: number,
    value: number,
    index: number,
    M: number,
    w: number,
    K: number,
    N: number,
    shift: number,
    relu: number,
    out: number,
  ): void;
  sparseWeightGradient(
    offsets: number,
    pixel: number,
    value: number,
    index: number,
    M: number,
    dz: number,
    K: number,
    N: number,
    db: number,
    counts: number,
    entries: number,
    out: number,
  ): void;
  transpose(src: number, R: number, C: number, dst: number): void;
  reluMask(g: number, h: number, n: number): void;
  columnSums(src: number, rows: number, N: number, out: number): void;
  zero(dst: number, n: number): void;
  gatherRows(src: number, index: number, count: number, width: number, dst: number): void;
  crossEntropy(logits: number, labels: number, batch: number, rows: number, ld: number, grad: number): number;
  imitation(
    student: number,
    teacher: number,
    batch: number,
    rows: number,
    ld: number,
    first: number,
    C: number,
    mse: number,
    grad: number,
  ): number;
  adam(
    p: number,
    m: number,
    v: number,
    g: number,
    n: number,
    beta1: number,
    beta2: number,
    rest1: number,
    rest2: number,
    c1: number,
    c2: number,
    epsilon: number,
    lr: number,
  ): void;
  dot(a: number, b: number, n: number): number;
  subtractScaled(g: number, t: number, s: number, n: number): void;
  noiseImages(
    dst: number,
    drawHashes: number,
    seed: number,
    model: number,
    index: number,
    count: number,
    gaussian: number,
  ): void;
  countCorrect(logits: number, labels: number, rows: number, ld: number): number;
  argmaxRows(logits: number, rows: number, ld: number, out: number): void;
  heapBase(): number;
}

const compiled = new Map<StepVariant, Promise<WebAssembly.Module>>();

function kernelUrl(variant: StepVariant): URL {
  return variant === 'relaxed'
    ? new URL('./step.relaxed.wasm', import.meta.url)
    : new URL('./step.wasm', import.meta.url);
}

async function wasmBytes(url: URL): Promise<BufferSource> {
  if (url.protocol === 'file:') {
    // Names in variables: the page's bundler must not try to bundle Node's modules.
    const fsName = 'node:fs/promises';
    const urlName = 'node:url';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    const { fileURLToPath } = (await import(/* @vite-ignore */ urlName)) as typeof import('node:url');
    return fs.readFile(fileURLToPath(url));
  }
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`the CPU step kernel (${url.pathname}) could not be loaded: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** The compiled module, once per realm and variant (a failed load is retried next time). */
function stepModule(variant: StepVariant): Promise<WebAssembly.Module> {
  let module = compiled.get(variant);
  if (!module) {
    module = wasmBytes(kernelUrl(variant))
      .then((bytes) => WebAssembly.compile(bytes))
      .catch((error: unknown) => {
        compiled.delete(variant);
        throw error;
      });
    compiled.set(variant, module);
  }
  return module;
}

/** The best variant this runtime runs. */
export const bestStepVariant = (): StepVariant => (relaxedSimdSupported() ? 'relaxed' : 'simd128');

/** A fresh instance with its own memory, of `variant` (default: the best this runtime runs). */
export async function instantiateStep(variant: StepVariant = bestStepVariant()): Promise<StepExports> {
  const instance = await WebAssembly.instantiate(await stepModule(variant), {});
  return { ...(instance.exports as unknown as Omit<StepExports, 'variant'>), variant };
}

/** Whether this runtime can run the kernel (WebAssembly with 128-bit SIMD). */
export function simdSupported(): boolean {
  if (typeof WebAssembly !== 'object') return false;
  // The smallest module using v128: (func (result v128) (v128.const i32x4 0 0 0 0)).
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 11,
  ]);
  return WebAssembly.validate(probe);
}

const ZEROS = new Array<number>(16).fill(0);

/**
 * Whether this runtime has relaxed SIMD (Chromium ≥ 114, Node ≥ 22; Node 20 with
 * `--experimental-wasm-relaxed-simd`): (func (result v128) (f32x4.relaxed_madd (v128.const 0) ×3)).
 */
export function relaxedSimdSupported(): boolean {
  if (!simdSupported()) return false;
  const zero = [253, 12, ...ZEROS];
  const body = [0, ...zero, ...zero, ...zero, 253, 133, 2, 11];
  const code = [1, body.length, ...body];
  const probe = new Uint8Array([
    ...[0, 97, 115, 109, 1, 0, 0, 0],
    ...[1, 5, 1, 96, 0, 1, 123],
    ...[3, 2, 1, 0],
    ...[10, code.length, ...code],
  ]);
  return WebAssembly.validate(probe);
}
