/**
 * Picks the TensorFlow.js backend a run uses, trying candidates in order (the browser's order is
 * webgpu → webgl → wasm → cpu) and recording why each one that was passed over failed: it did not
 * start, or it started but computed wrong numbers in the known-answer check.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf';
import { CPU_LIMITS, DEFAULT_LIMITS, WASM_LIMITS, type DeviceLimits } from '../schedule/chunks';
import { describeError } from '../../base/describeError';
import { formatBytes } from '../schedule/fit';
import { knownAnswerCheck, type KnownAnswerResult } from './knownAnswer';
import type { StepKernels } from '../step/kernels';
import { markPathWrong, openPath, pathCandidates } from '../step/trainingPath';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const BROWSER_ORDER: readonly BackendName[] = BACKENDS;

export interface BackendFallback {
  backend: BackendName;
  reason: string;
}

export interface BackendChoice {
  name: BackendName;
  /** The WebGPU adapter, in words (vendor, architecture, description), when WebGPU runs. */
  adapter: string | null;
  /** Every backend tried before the chosen one, with why it was not used. */
  fallbacks: BackendFallback[];
  /** What the chosen backend can hold, so that the page's form can check a config with fitIssues before Run. */
  limits?: DeviceLimits;
}

export function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

export class NoBackendError extends Error {
  constructor(readonly fallbacks: BackendFallback[]) {
    super(`No TensorFlow.js backend could start: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
    this.name = 'NoBackendError';
  }
}

/** Names of renderers that draw on the CPU: no faster than wasm, usually far slower. */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver|microsoft basic/i;

/** Describes the WebGPU adapter, or says why there is none (thrown as the fallback reason). */
async function webGpuAdapterName(avoidSoftware: boolean): Promise<string> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) throw new Error('WebGPU is not available here (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('WebGPU found no usable GPU adapter');
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const words = [info?.vendor, info?.architecture, info?.device, info?.description].filter((word) => word);
  const name = words.length > 0 ? [...new Set(words)].join(' ') : 'unnamed adapter';
  if (avoidSoftware && (info?.isFallbackAdapter || SOFTWARE_RENDERER.test(name))) {
    throw new Error(`the only WebGPU adapter is a software renderer (${name}), slower than wasm`);
  }
  return name;
}

/** WebGL's renderer string, when the browser tells it. */
function webGlRenderer(): string | null {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

export interface BackendOptions {
  /** Where the browser finds tfjs's .wasm files (a URL prefix, or a map from file name to URL). */
  wasmPaths?: Parameters<typeof setWasmPaths>[0];
  /** Pass over WebGPU and WebGL when they only draw in software (a machine without a GPU). */
  avoidSoftwareGpu?: boolean;
  /**
   * Run the known-answer check (knownAnswer.ts) on a backend before choosing it, and pass over one
   * that fails it. Default: when there is another backend to fall back to (more than one in `order`).
   */
  verify?: boolean;
  /** Check these step kernels instead of the backend's training paths (tests inject wrong ones). */
  checkKernels?: (name: BackendName) => StepKernels | Promise<StepKernels>;
}

/** Known-answer results of this session, per backend, adapter and training path: each is checked once. */
const verified = new Map<string, KnownAnswerResult>();

/**
 * Checks the training paths a run on this backend may take, best first: the first that passes is
 * the one runs take (a wrong one is marked, and chooseTrainingPath passes it over). Throws the
 * reasons when none passes.
 */
async function verifyBackend(name: BackendName, adapter: string | null, options: BackendOptions): Promise<void> {
  if (options.checkKernels) return verifyKernels(name, await options.checkKernels(name));
  const reasons: string[] = [];
  for (const pathName of pathCandidates(name)) {
    const key = `${name}:${adapter ?? ''}:${pathName}`;
    let result = verified.get(key);
    if (!result) {
      const path = await openPath(name, pathName);
      if (!path) continue; // cannot start here (no SIMD kernel): runs pass it over too
      try {
        result = await knownAnswerCheck(path);
      } finally {
        path.dispose();
      }
      verified.set(key, result);
    }
    if (result.ok) return;
    markPathWrong(name, pathName, result.reason ?? '');
    reasons.push(pathName === 'stock' ? (result.reason ?? '') : `${pathName}: ${result.reason}`);
  }
  throw new Error(reasons.join('; ') || `no training path could start on ${name}`);
}

/** The check on a caller's kernels (tests inject wrong ones); they are disposed after. */
async function verifyKernels(name: BackendName, kernels: StepKernels): Promise<void> {
  try {
    const result = await knownAnswerCheck((await openPath(name, 'stock', { kernels }))!);
    if (!result.ok) throw new Error(result.reason);
  } finally {
    kernels.dispose();
  }
}

/** What the current backend's device can hold, for planning chunks. */
export function deviceLimits(): DeviceLimits {
  const name = tf.getBackend();
  if (name === 'wasm') return WASM_LIMITS;
  // Plain JavaScript: typed arrays outside the JS heap, bounded only by the machine.
  if (name === 'cpu') return { ...CPU_LIMITS, source: 'the cpu backend' };
  return gpuLimits(name, (tf.backend() as unknown as { device?: GPUDevice }).device?.limits);
}

/** A GPU backend's limits from its WebGPU device limits (none known: WebGPU's guaranteed minimums). */
export function gpuLimits(
  name: string,
  limits?: Pick<GPUSupportedLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>,
): DeviceLimits {
  if (!limits) return { ...DEFAULT_LIMITS, source: `${name} (WebGPU's guaranteed 128 MiB buffer)`, mode: 'batched' };
  const { maxBufferSize, maxStorageBufferBindingSize } = limits;
  // Total GPU memory is not exposed: two of the largest buffers, at most 8 GB, is a cautious guess
  // for planning; nothing is refused on it, only on the buffer limit the device states.
  const memoryBytes = Math.max(DEFAULT_LIMITS.memoryBytes, Math.min(2 * maxBufferSize, 8e9));
  const binding = maxStorageBufferBindingSize <= maxBufferSize;
  return {
    maxBufferBytes: Math.min(maxBufferSize, maxStorageBufferBindingSize),
    hardBufferBytes: Math.min(maxBufferSize, maxStorageBufferBindingSize),
    memoryBytes,
    source: `${name} (the adapter's ${binding ? 'maxStorageBufferBindingSize' : 'maxBufferSize'})`,
    mode: 'batched',
  };
}

export async function selectBackend(
  order: readonly BackendName[] = BROWSER_ORDER,
  options: BackendOptions = {},
): Promise<BackendChoice> {
  const fallbacks: BackendFallback[] = [];
  for (const name of order) {
    try {
      // Inside the try: a bad wasm path map must cost the wasm backend only, not the others.
      // (tfjs accepts the paths only before the wasm backend first starts.)
      if (name === 'wasm' && options.wasmPaths && !tf.findBackend('wasm')) setWasmPaths(options.wasmPaths);
      const adapter = name === 'webgpu' ? await webGpuAdapterName(options.avoidSoftwareGpu === true) : null;
      if (name === 'webgl' && options.avoidSoftwareGpu) {
        const renderer = webGlRenderer();
        if (renderer && SOFTWARE_RENDERER.test(renderer))
          throw new Error(`WebGL draws in software here (${renderer}), slower than wasm`);
      }
      // The webgpu package registers itself only if navigator.gpu exists when it is loaded.
      if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      // setBackend answers false on failure, and getBackend() may still name the failed one.
      const ok = await tf.setBackend(name);
      if (!ok || tf.getBackend() !== name) throw new Error(`TensorFlow.js could not initialise the ${name} backend`);
      await tf.ready();
      if (options.verify ?? order.length > 1) await verifyBackend(name, adapter, options);
      return { name, adapter, fallbacks, limits: deviceLimits() };
    } catch (error) {
      fallbacks.push({ backend: name, reason: describeError(error) });
    }
  }
  throw new NoBackendError(fallbacks);
}

/**
 * Failures that come from inside the backend rather than from the run's own checks: after them
 * its memory may be corrupt even when it still answers (wasm writes out of bounds when its heap
 * cannot grow, and keeps going), so it is not trusted with another run.
 */
const ENGINE_FAILURE =
  /memory access out of bounds|Aborted\(|out of memory|RuntimeError|unreachable|GPUValidationError|GPUOutOfMemoryError|device (?:was )?lost|context lost/i;

/**
 * After a failed run: why the current backend cannot be trusted with the next one (the failure
 * came from inside the backend, tensors the run left behind, or a tiny op that throws or answers
 * wrong, as after a wasm abort), or null when it is fine. `failure`: the run's reason.
 */
export async function backendProblem(tensorsBefore: number, failure = ''): Promise<string | null> {
  if (ENGINE_FAILURE.test(failure))
    return `${tf.getBackend()} failed inside (${failure.split('. ')[0]}) and may hold corrupt memory`;
  const left = tf.memory().numTensors - tensorsBefore;
  if (left > 0)
    return `the failed run left ${left} tensor${left === 1 ? '' : 's'} (${formatBytes(tf.memory().numBytes)} held) on ${tf.getBackend()}`;
  try {
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
    let values: ArrayLike<number>;
    try {
      values = await sum.data();
    } finally {
      sum.dispose();
    }
    if (Array.from(values).join() !== '2,3,4')
      return `${tf.getBackend()} answers 1+[1,2,3] with [${Array.from(values).join(', ')}]`;
    return null;
  } catch (error) {
    return `${tf.getBackend()} fails even a tiny operation (${describeError(error)})`;
  }
}

/**
 * Starts TensorFlow.js afresh: every backend instance is disposed with every tensor it held
 * (a wasm backend's whole address space, a GPU backend's device), the counts go back to zero, and
 * the registered backends are built anew by the next selectBackend (tfjs keeps their factories).
 * Only while nothing else holds tensors: they would point into the disposed backend.
 */
export function resetEngine(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  // A backend that aborted (wasm after "memory access out of bounds") throws when it is disposed,
  // and so would every variable it holds: drop them all the same, so that tfjs's own reset
  // completes and the next selectBackend builds each backend anew (a fresh wasm module).
  for (const name of Object.keys(engine.registry)) {
    try {
      engine.disposeRegisteredKernels(name);
      engine.registry[name].dispose();
    } catch {
      // dead already
    }
    delete engine.registry[name];
  }
  engine.state.registeredVariables = {};
  engine.reset();
}

/** The parts of tfjs's engine that resetEngine needs (not in its public types). */
interface EngineInternals {
  registry: Record<string, { dispose(): void }>;
  disposeRegisteredKernels(name: string): void;
  state: { registeredVariables: Record<string, unknown> };
  reset(): void;
}

/** One line for a badge or a log: "webgpu (Google SwiftShader)", "wasm (webgpu: …)". */
export function describeBackend(choice: BackendChoice): string {
  const adapter = choice.adapter ? ` (${choice.adapter})` : '';
  const why =
    choice.fallbacks.length > 0
      ? ` — fell back: ${choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`
      : '';
  return `${choice.name}${adapter}${why}`;
}
