/**
 * The engine worker's backend: picked once (webgpu → webgl → wasm → cpu, or the order the page's
 * 'configure' named), replaced after the WebGPU device is lost (the run in progress stops, and
 * the next run starts on a fresh device), and restarted after a failed run left it unfit.
 */
import {
  backendProblem,
  BROWSER_ORDER,
  deviceLimits,
  isBackendName,
  resetEngine,
  selectBackend,
  type BackendChoice,
  type BackendName,
} from '../experiment/device/backend';
import type { DeviceLimits } from '../experiment/schedule/chunks';
import * as tf from '../experiment/tf';
import { describeError } from '../base/describeError';
import type { FromWorker } from './protocol';
import { singleThreadedWasm, WASM_PATHS } from './wasmPaths';

/** tfjs-backend-webgpu registers itself with this priority. */
const WEBGPU_PRIORITY = 3;

const reasonOf = (error: unknown) => describeError(error) || 'unknown error';

/** What the lifecycle does to TensorFlow.js: the real thing, unless a test brings fakes. */
export interface BackendTools {
  select: typeof selectBackend;
  /** The WebGPU device of the backend in use, if it has one. */
  device(): Pick<GPUDevice, 'lost'> | undefined;
  /** Drops the dead webgpu backend but keeps its factory, so that the next pick builds a fresh one. */
  forgetWebGpu(): void;
  problem: typeof backendProblem;
  reset: typeof resetEngine;
}

/**
 * tfjs creates a backend instance only once per registration: removing and registering the
 * factory again makes selectBackend build a fresh backend on a fresh device.
 */
function forgetWebGpuBackend() {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) return;
  try {
    tf.removeBackend('webgpu');
  } finally {
    tf.registerBackend('webgpu', factory, WEBGPU_PRIORITY);
  }
}

const TOOLS: BackendTools = {
  select: selectBackend,
  device: () => (tf.backend() as unknown as { device?: GPUDevice }).device,
  forgetWebGpu: forgetWebGpuBackend,
  problem: backendProblem,
  reset: resetEngine,
};

export class BackendLifecycle {
  /** The backends the page's 'configure' asked for (its checked `?backend=`), or null for the browser's order. */
  private asked: readonly BackendName[] | null = null;
  /** The backend in use, or null while none is (before the first pick, after a lost device). */
  private picked: Promise<BackendChoice> | null = null;
  /** Set when the WebGPU device was lost; the next pick first replaces the dead backend. */
  private webGpuLost = false;
  /** Counts backend picks, so that a `lost` promise of an older device is ignored. */
  private generation = 0;
  private readonly tools: BackendTools;

  /** `onLost` hears why the WebGPU device went away, to stop the run in progress. */
  constructor(
    private readonly post: (message: FromWorker) => void,
    private readonly onLost: (reason: string) => void,
    tools: Partial<BackendTools> = {},
  ) {
    this.tools = { ...TOOLS, ...tools };
  }

  /**
   * The backends to try: the page's checked names (the browser tests name some, to check the
   * fallbacks), else the browser's order. Nothing else sets it: not the worker's name, not a URL.
   */
  configure(backends: unknown): void {
    const names = Array.isArray(backends) ? backends.filter((name) => isBackendName(name)) : [];
    this.asked = names.length > 0 ? names : null;
  }

  /** The pick in progress or done, or null while there is none (nothing is started). */
  get current(): Promise<BackendChoice> | null {
    return this.picked;
  }

  /** What the backend in use can hold. */
  limits(): DeviceLimits {
    return deviceLimits();
  }

  /** The backend in use, picked now if there is none; a failed pick is tried again by the next call. */
  ensure(): Promise<BackendChoice> {
    if (this.picked) return this.picked;
    const mine = ++this.generation;
    const picking = this.pick(mine);
    this.picked = picking;
    picking.catch(() => {
      if (this.generation === mine) this.picked = null;
    });
    return picking;
  }

  private async pick(mine: number): Promise<BackendChoice> {
    singleThreadedWasm();
    if (this.webGpuLost) {
      this.webGpuLost = false;
      try {
        this.tools.forgetWebGpu();
      } catch (error) {
        this.post({ type: 'worker-error', reason: `could not release the lost WebGPU backend: ${reasonOf(error)}` });
      }
    }
    const asked = this.asked !== null;
    // Unless told otherwise, a GPU that only draws in software (no GPU in the machine) loses to
    // wasm: SwiftShader's WebGPU is about thirty times slower here.
    const choice = await this.tools.select(this.asked ?? BROWSER_ORDER, {
      wasmPaths: WASM_PATHS,
      avoidSoftwareGpu: !asked,
    });
    this.post({ type: 'backend', choice });
    if (choice.name === 'webgpu') this.watchDevice(mine);
    return choice;
  }

  private watchDevice(owner: number) {
    const device = this.tools.device();
    if (!device) return;
    device.lost.then(
      (info) => {
        if (this.generation !== owner || !this.picked) return;
        this.picked = null;
        this.webGpuLost = true;
        const why = info.reason && info.reason !== 'unknown' ? ` (${info.reason})` : '';
        const reason = `${info.message || 'the GPU device was lost'}${why}`;
        this.post({ type: 'device-lost', reason });
        this.onLost(reason);
      },
      () => undefined,
    );
  }

  /**
   * After a run failed (not a cancel): if the backend is poisoned (the failure came from inside
   * it, as wasm's "memory access out of bounds", tensors left behind, or a tiny op fails),
   * TensorFlow.js starts afresh and the next run picks its backend again, so it works without a
   * reload; the page is told.
   */
  async recover(tensorsBefore: number, failure: string): Promise<void> {
    const problem = await this.tools.problem(tensorsBefore, failure).catch((error: unknown) => reasonOf(error));
    if (!problem) return;
    this.picked = null;
    this.generation++; // the old GPU device's 'lost' (it is destroyed now) is not a loss to report
    try {
      this.tools.reset();
      this.post({ type: 'engine-restarted', reason: problem });
    } catch (error) {
      this.post({
        type: 'worker-error',
        reason: `the engine could not be restarted after ${problem}: ${reasonOf(error)}`,
      });
    }
  }
}
