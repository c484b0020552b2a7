/**
 * Fitting a run to the device: estimate what a stack of models needs, split the models into
 * chunks that fit, and merge the chunks' results into the result of the whole run. Because every
 * model's numbers depend only on its own global index (its init, shuffles, noise and cross
 * partner are drawn from its own streams), a chunked run gives the unchunked run's numbers.
 */
import { CLASS_COUNT, INPUT_SIZE, TEST_SET_SIZE, type ExperimentConfig } from '../config';
import { layerSizes, paramLayout } from '../model/shapes';
import {
  CONDITIONS,
  STUDENT_CONDITIONS,
  type ConditionName,
  type CurvePoint,
  type ExperimentResult,
  type TrainingPhase,
  type TraitResult,
} from '../results';
import { summarize } from '../stats';
import { teacherSetSize } from '../trait/teacherSet';
import { traitResult, traitValues } from '../trait/result';

const FLOAT = 4;

export interface DeviceLimits {
  /** Largest single buffer (WebGPU's maxBufferSize and maxStorageBufferBindingSize, the smaller). */
  maxBufferBytes: number;
  /** What the whole run may hold at once: the chunk planner's budget (a chunk may exceed it by one model). */
  memoryBytes: number;
  /**
   * The most the backend can hold at all (wasm: its 4 GiB address space), beyond which a run
   * fails, not just slows; absent = unknown, only the buffer limit is checked (fit.ts).
   */
  capacityBytes?: number;
  /**
   * How much more the backend's allocator takes than the tensors it holds (fragmentation, growth
   * steps), applied to the estimate before it is held against capacityBytes; absent = 1.
   */
  allocatorSlack?: number;
  /**
   * The single-buffer size past which the backend fails (WebGPU's stated binding limit), as
   * opposed to maxBufferBytes, which only plans chunks; absent = not known, nothing refused on it.
   */
  hardBufferBytes?: number;
  /** Whose limits these are, for messages ("wasm", "webgpu (maxStorageBufferBindingSize)"). */
  source?: string;
  /** Models in one stack (batched, GPUs) or one model per stack (per-model, CPU backends). */
  mode?: 'batched' | 'per-model';
}

/** Defaults that suit a laptop: WebGPU's guaranteed 128 MiB binding, and 1.5 GB in all. */
export const DEFAULT_LIMITS: DeviceLimits = { maxBufferBytes: 128 * 2 ** 20, memoryBytes: 1.5e9 };

/** CPU backends: no buffer limit to speak of; 1.5 GB of wasm heap per thread leaves room below its 4 GB. */
export const CPU_LIMITS: DeviceLimits = { maxBufferBytes: 2 ** 31, memoryBytes: 1.5e9, mode: 'per-model' };

/** wasm32's address space: every tensor of a wasm backend (one per thread) lives in it. */
export const WASM_ADDRESS_SPACE = 2 ** 32;
/**
 * wasm's heap after a run, against the tensors' peak (both measured, one model, alignment on):
 * 0.58 against 0.47 GB for 784-1024-1024 at batch 1024, 1.70 against 1.25 GB for 784-2048-2048
 * at batch 128 (estimates 0.51 and 1.18 GB): up to 1.44 times the estimate, so 1.5.
 */
export const WASM_ALLOCATOR_SLACK = 1.5;
export const WASM_LIMITS: DeviceLimits = {
  ...CPU_LIMITS,
  capacityBytes: WASM_ADDRESS_SPACE,
  allocatorSlack: WASM_ALLOCATOR_SLACK,
  source: "wasm's 4 GiB address space",
};

export interface MemoryEstimate {
  /** Held whatever the number of models: the MNIST tensors. */
  fixedBytes: number;
  /**
   * Added by each model, at the distillation phase's peak: its trained teacher and reference,
   * four students with their Adam state, gradients and teacher copies, activations of a batch,
   * the mitigation's extra pass, the alignment probe and an evaluation copy.
   */
  perModelBytes: number;
  /** Of perModelBytes, what the parameters and their copies take (grows with `hidden`). */
  parameterBytes: number;
  /** Of perModelBytes, what a batch's activations take (grows with `batchSize`). */
  activationBytes: number;
  /**
   * The largest single tensor per model, batched: the students' packed state [3, 4, P], or a layer's
   * activations of the four students [4, B, width], whichever is larger.
   */
  largestPerModelBytes: number;
  /** The largest single tensor of one student row (per-model stacks): its state [3, 1, P] or a layer's activations. */
  largestPerRowBytes: number;
}

/** What a run measures beyond the experiment itself (RunOptions). */
export interface MeasureOptions {
  alignment?: boolean;
}

export function estimateMemory(config: ExperimentConfig, measure: MeasureOptions = {}): MemoryEstimate {
  const sizes = layerSizes(config.hidden, config.auxLogits);
  const P = paramLayout(sizes).perModel;
  const students = STUDENT_CONDITIONS.length;
  const widths = sizes.slice(1).reduce((sum, width) => sum + width, 0);
  const batch = config.batchSize;
  // Per student row: packed state (3P), gradient (P), its teacher's copy (P); activations of
  // student and teacher, their gradients, and the materialised input on the CPU path. The
  // mitigation adds the trait gradient and its pass over a batch of digits; the alignment probe
  // holds each student's start and its teacher's move, and briefly two gradients and two copies.
  // Liminal training holds each student's frozen start (P) and its forward pass.
  // Each student row also has an evaluation copy (P). Each model keeps its trained teacher
  // (state 3P) and its reference (P) through the distillation.
  const mitigation = config.mitigation !== 'none';
  const parameterCopies = 6 + (mitigation ? 1 : 0) + (measure.alignment ? 5 : 0);
  const passes = 1 + (mitigation ? 1 : 0);
  const parameterBytes = (students * parameterCopies * P + 4 * P) * FLOAT;
  const activationBytes = students * passes * batch * (3 * widths + INPUT_SIZE + CLASS_COUNT) * FLOAT;
  const widest = Math.max(...sizes) * batch * FLOAT;
  return {
    fixedBytes: (teacherSetSize(config) + TEST_SET_SIZE) * (INPUT_SIZE + 1) * FLOAT,
    perModelBytes: parameterBytes + activationBytes,
    parameterBytes,
    activationBytes,
    largestPerModelBytes: Math.max(3 * P * FLOAT, widest) * students,
    largestPerRowBytes: Math.max(3 * P * FLOAT, widest),
  };
}

/** The most models one stack can hold within the limits (at least 1). */
export function modelsPerChunk(config: ExperimentConfig, limits: DeviceLimits, measure: MeasureOptions = {}): number {
  const estimate = estimateMemory(config, measure);
  const byBuffer = Math.floor(limits.maxBufferBytes / estimate.largestPerModelBytes);
  const byMemory = Math.floor((limits.memoryBytes - estimate.fixedBytes) / estimate.perModelBytes);
  return Math.max(1, Math.min(config.models, byBuffer, byMemory));
}

/** Model indices (0…models−1, or the given ones), `size` at a time (the last chunk may be smaller). */
export function planChunks(models: number | readonly number[], size: number): number[][] {
  if (!(size >= 1)) throw new Error('chunk size must be at least 1');
  const indices = typeof models === 'number' ? Array.from({ length: models }, (_, i) => i) : [...models];
  const chunks: number[][] = [];
  for (let first = 0; first < indices.length; first += size) chunks.push(indices.slice(first, first + size));
  return chunks;
}

/** Chunks into `parts` nearly equal consecutive parts (for parallel workers). */
export function splitEvenly(models: number, parts: number): number[][] {
  const count = Math.max(1, Math.min(parts, models));
  return Array.from({ length: count }, (_, part) => {
    const first = Math.floor((part * models) / count);
    const end = Math.floor(((part + 1) * models) / count);
    return Array.from({ length: end - first }, (_, i) => first + i);
  });
}

type PerCondition = Partial<Record<ConditionName, number[]>>;

const join = (x: PerCondition, y: PerCondition): PerCondition =>
  Object.fromEntries(
    Object.keys(x).map((name) => [name, [...x[name as ConditionName]!, ...(y[name as ConditionName] ?? [])]]),
  );

/** Concatenates two curve points' per-model arrays (same step); predictions stay the first chunk's. */
export function mergePoints(a: CurvePoint, b: CurvePoint): CurvePoint {
  const merged: CurvePoint = {
    ...a,
    accuracy: join(a.accuracy, b.accuracy),
    loss: a.loss && b.loss ? join(a.loss, b.loss) : a.loss,
  };
  if (a.trait && b.trait) merged.trait = join(a.trait, b.trait);
  if (a.alignment && b.alignment) {
    merged.alignment = {
      updateCosine: join(a.alignment.updateCosine, b.alignment.updateCosine),
      distance: join(a.alignment.distance, b.alignment.distance),
      gradientCosine: join(a.alignment.gradientCosine, b.alignment.gradientCosine),
    };
  }
  return merged;
}

/** The whole run's result from its chunks' results, given in model order. */
export function mergeResults(
  config: ExperimentConfig,
  chunks: readonly ExperimentResult[],
  seconds: number,
): ExperimentResult {
  if (chunks.length === 0) throw new Error('no chunks to merge');
  const [first, ...rest] = chunks;
  const conditions = Object.fromEntries(
    CONDITIONS.map((name) => {
      const accuracies = chunks.flatMap((chunk) => chunk.conditions[name].accuracies);
      return [name, { accuracies, ...summarize(accuracies) }];
    }),
  ) as ExperimentResult['conditions'];
  const curves = Object.fromEntries(
    (['teacher', 'distill'] as TrainingPhase[]).map((phase) => [
      phase,
      first.curves[phase].map((point, i) =>
        rest.reduce((merged, chunk) => mergePoints(merged, chunk.curves[phase][i]), point),
      ),
    ]),
  ) as ExperimentResult['curves'];
  return {
    config,
    backend: first.backend,
    seconds,
    conditions,
    // In the order a run writes its result, so a merged file reads like the run done once.
    ...(chunks.every((chunk) => chunk.trait) && { trait: mergeTraits(chunks.map((chunk) => chunk.trait!)) }),
    curves,
    crossSources: chunks.flatMap((chunk) => chunk.crossSources),
    // Measured once, on models 0…, by the chunk that holds model 0.
    ...(first.theorem && { theorem: first.theorem }),
    ...(first.chain && {
      chain: first.chain.map((generation, g) => ({
        generation: generation.generation,
        accuracy: rest.reduce((merged, chunk) => join(merged, chunk.chain?.[g]?.accuracy ?? {}), generation.accuracy),
      })),
    }),
  };
}

/** The chunks' trait measures, models in order, summarised again. */
function mergeTraits(traits: readonly TraitResult[]): TraitResult {
  const values = traits.map(traitValues);
  return traitResult(
    traits[0].name,
    Object.fromEntries(CONDITIONS.map((name) => [name, values.flatMap((chunk) => chunk[name])])) as Record<
      ConditionName,
      number[]
    >,
  );
}
