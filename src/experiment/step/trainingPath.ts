/**
 * How a run trains: the one decision, taken here and nowhere else.
 *
 *   simd   — CPU backends (wasm, cpu): the WebAssembly SIMD kernel, models in its own memory.
 *   webgpu — the hand-written WGSL programs over packed tensor stacks.
 *   stock  — stock tfjs ops over packed tensor stacks: webgl, and the CPU backends' reference
 *            (`--kernels stock`), or their fallback when the SIMD kernel cannot load or fails
 *            its known-answer check (device/knownAnswer.ts checks the path a run will train on).
 *
 * A path makes the run's model groups (ModelGroup); nothing else asks which one it got.
 */
import type { StackMode, HostParameters } from '../model/mlp';
import type { StepKernels } from './kernels';
import type { ModelGroup, TestImages } from './modelGroup';
import { TensorGroup } from './group';
import { fasterStackMode } from './pickMode';
import { StockKernels } from './stockKernels';
import { loadWebGpuKernels } from './webgpuLoader';
import { SimdGroup } from './simd/simdGroup';
import { loadSimdKernel } from './simd/simdRun';
import { SimdTrainer, type SimdData } from './simd/simdTrainer';
import { simdSupported, type StepExports } from './simd/stepModule';

export type PathName = 'simd' | 'webgpu' | 'stock';

/** How a CPU backend trains when asked (`--kernels`): the SIMD kernel (default) or stock ops. */
export type CpuKernels = 'simd' | 'stock';

export const isCpuBackend = (backend: string): boolean => backend === 'wasm' || backend === 'cpu';

export interface PathOptions {
  /** Stock ops in this stack mode (default: measured on the CPU backends, batched on GPUs). */
  mode?: StackMode;
  /** Train tensor groups on these kernels (tests inject failing ones); the caller owns them. */
  kernels?: StepKernels;
  cpuKernels?: CpuKernels;
}

/** The shapes a stock path times its two stack modes on (a few models, a batch of at most 256). */
export interface PathShapes {
  sizes: readonly number[];
  rows: number;
  batch: number;
}

export interface TrainingPath {
  readonly name: PathName;
  /** Tensor groups: one packed stack per model or one for all (and how they are evaluated). */
  readonly mode: StackMode;
  /** The tensor kernels: the groups' on stock and webgpu; on simd, the one-step experiment's. */
  readonly kernels: StepKernels;
  /** The CPU kernel's instance, on simd. */
  readonly simd: StepExports | null;
  /** Frees the kernels the path made (not a caller's). */
  dispose(): void;
}

/** Paths found to compute wrong numbers on a backend (by the known-answer check), with why. */
const wrongPaths = new Map<string, string>();

export function markPathWrong(backend: string, name: PathName, reason: string): void {
  wrongPaths.set(`${backend}:${name}`, reason);
}

export const pathFoundWrong = (backend: string, name: PathName): boolean => wrongPaths.has(`${backend}:${name}`);

/** The paths a backend can train on, best first. */
export function pathCandidates(backend: string): PathName[] {
  if (backend === 'webgpu') return ['webgpu'];
  if (!isCpuBackend(backend)) return ['stock'];
  return simdSupported() ? ['simd', 'stock'] : ['stock'];
}

/** The path a run on `backend` trains on: the first candidate the options allow and nothing found wrong. */
export async function chooseTrainingPath(
  backend: string,
  options: PathOptions = {},
  shapes?: PathShapes,
): Promise<TrainingPath> {
  const allowed = pathCandidates(backend).filter(
    (name) =>
      !pathFoundWrong(backend, name) && !(name === 'simd' && (options.kernels || options.cpuKernels === 'stock')),
  );
  for (const name of allowed) {
    const path = await openPath(backend, name, options, shapes);
    if (path) return path;
  }
  // Every candidate found wrong: stock ops, the reference, rather than nothing.
  return (await openPath(backend, 'stock', options, shapes))!;
}

/** Path `name` on `backend`, or null when it cannot start here (the SIMD kernel did not load). */
export async function openPath(
  backend: string,
  name: PathName,
  options: PathOptions = {},
  shapes?: PathShapes,
): Promise<TrainingPath | null> {
  if (name === 'simd') {
    const simd = await loadSimdKernel();
    if (!simd) return null;
    const kernels = new StockKernels();
    return { name, mode: 'per-model', kernels, simd, dispose: () => kernels.dispose() };
  }
  const own = !options.kernels;
  const kernels = options.kernels ?? (name === 'webgpu' ? (await loadWebGpuKernels())() : new StockKernels());
  let mode: StackMode = options.mode ?? (isCpuBackend(backend) ? 'per-model' : 'batched');
  if (!options.mode && own && isCpuBackend(backend) && shapes)
    mode = (await fasterStackMode(shapes.sizes, shapes.rows, shapes.batch)).mode;
  return { name, mode, kernels, simd: null, dispose: () => own && kernels.dispose() };
}

/** What a path's groups are made from: the CPU kernel's copy of the data, or the test images on the device. */
export interface GroupSource {
  sizes: readonly number[];
  /** Largest batch a step takes (the CPU kernel sizes its scratch memory by it). */
  batchSize: number;
  /** Noise images per model (the CPU kernel caches its teachers' logits per set). */
  noiseSetSize: number;
  /** The training and test data copied into the CPU kernel (asked for on simd only). */
  simdData: () => SimdData;
  /** The test images tensor groups are measured on. */
  tests: TestImages | null;
}

/** Makes groups on one path; `dispose` frees what the groups shared (the CPU kernel's memory). */
export interface GroupMaker {
  make(models: readonly HostParameters[], trainable: boolean): ModelGroup;
  dispose(): void;
}

export function groupMaker(path: TrainingPath, source: GroupSource): GroupMaker {
  if (path.simd) {
    const trainer = SimdTrainer.fromInstance(path.simd, source.sizes, source.batchSize, source.simdData());
    return {
      make: (models, trainable) => SimdGroup.create(trainer, models, trainable, source.noiseSetSize),
      dispose: () => trainer.dispose(),
    };
  }
  return {
    make: (models, trainable) =>
      TensorGroup.fromHost(source.sizes, models, trainable, path.mode, path.kernels, source.tests),
    dispose: () => {},
  };
}
