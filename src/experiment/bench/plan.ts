/**
 * The benchmark's sweep, shared by `npm run bench` and the page's `?bench` mode: every step kind
 * × stack size × implementation, skipping cells whose step would take longer than `maxStepSeconds`
 * (predicted from the same implementation at a smaller size).
 */
import { deviceLimits } from '../device/backend';
import { formatBytes } from '../schedule/fit';
import type { DeviceLimits } from '../schedule/chunks';
import type { StepKernels } from '../step/kernels';
import { bestStepVariant } from '../step/simd/stepModule';
import { measureCell, PAPER_SHAPE, type CellSpec, type StepKind, type Variant } from './cells';
import type { BenchRow } from './report';
import { layerSizes } from '../model/mlp';
import { paramLayout } from '../step/layout';

export type { BenchRow } from './report';
export { formatBenchTable } from './report';

export interface BenchPlan {
  sizes: number[];
  kinds: StepKind[];
  batch: number;
  steps: number;
  budgetSeconds: number;
  maxStepSeconds: number;
  gpu: boolean;
  /** Only these implementations (default: all for the backend). */
  variants?: Variant[];
  /** The device's largest buffer: cells whose stack would not fit one are skipped (a run would chunk them). */
  maxBufferBytes?: number;
  webGpuKernels?: () => StepKernels;
  /** What the backend can hold (default: deviceLimits() of the current backend). */
  limits?: DeviceLimits;
}

export const DEFAULT_PLAN: Omit<BenchPlan, 'gpu'> = {
  sizes: [1, 10, 100],
  kinds: ['teacher', 'distill'],
  batch: PAPER_SHAPE.batch,
  steps: 5,
  budgetSeconds: 15,
  maxStepSeconds: 20,
};

export function variantsFor(gpu: boolean): Variant[] {
  if (gpu) return ['autodiff', 'stock-batched', 'webgpu'];
  // The plain-SIMD build beside the one a run gets, where that one is relaxed SIMD.
  const plain: Variant[] = bestStepVariant() === 'relaxed' ? ['simd-plain'] : [];
  return ['autodiff', 'stock-per-model', 'stock-batched', ...plain, 'simd'];
}

export function cellSpec(plan: BenchPlan, kind: StepKind, variant: Variant, models: number): CellSpec {
  return {
    kind,
    variant,
    models,
    batch: plan.batch,
    hidden: [...PAPER_SHAPE.hidden],
    auxLogits: PAPER_SHAPE.auxLogits,
    steps: plan.steps,
    budgetSeconds: plan.budgetSeconds,
    autodiffMode: plan.gpu ? 'batched' : 'per-model',
  };
}

const FLOAT = 4;
const KIND_WORDS: Record<StepKind, string> = { teacher: 'a teacher step', distill: 'a distillation step' };

/** Rows a cell trains: one per model for the teacher, four students per model for distillation. */
function rowsPerModel(kind: StepKind): number {
  return kind === 'teacher' ? 1 : 4;
}

/**
 * The least a cell of the paper's MLP holds, whatever the implementation: per row its parameters
 * with Adam's two moments, its gradient, and its teacher's copy (five parameter sets).
 */
export function cellStateBytes(kind: StepKind, models: number): number {
  const perRow = 5 * paramLayout(layerSizes([...PAPER_SHAPE.hidden], PAPER_SHAPE.auxLogits)).perModel * FLOAT;
  return rowsPerModel(kind) * models * perRow;
}

/**
 * Sizes whose cells cannot fit the backend at all (wasm's 4 GiB address space), refused before
 * anything is measured, as a run that cannot fit is (fit.ts); empty when every size fits. Without
 * this, such a cell fails mid-benchmark with "memory access out of bounds".
 */
export function benchIssues(plan: Pick<BenchPlan, 'sizes' | 'kinds'>, limits: DeviceLimits): string[] {
  const { capacityBytes } = limits;
  if (capacityBytes === undefined) return [];
  const slack = limits.allocatorSlack ?? 1;
  const source = limits.source ?? 'this backend';
  return plan.kinds.flatMap((kind) => {
    const largest = Math.floor(capacityBytes / (slack * cellStateBytes(kind, 1)));
    const over = plan.sizes.filter((models) => cellStateBytes(kind, models) * slack > capacityBytes);
    return over.map(
      (models) =>
        `size ${models}: ${KIND_WORDS[kind]} of ${models} models needs at least ` +
        `${formatBytes(cellStateBytes(kind, models) * slack)} (parameters, Adam state, gradients and teachers` +
        `${slack > 1 ? ", with the allocator's slack" : ''}), more than ${source} holds ` +
        `(${formatBytes(capacityBytes)}): the largest size that fits is ${largest}`,
    );
  });
}

/** Measures every cell in turn; `afterSize` may add rows (the command line's threaded ones). */
export async function* benchRows(
  plan: BenchPlan,
  afterSize?: (kind: StepKind, models: number, rates: Partial<Record<Variant, number>>) => Promise<BenchRow | null>,
): AsyncGenerator<BenchRow, void, void> {
  const issues = benchIssues(plan, plan.limits ?? deviceLimits());
  if (issues.length > 0) throw new Error(`the benchmark cannot run: ${issues.join('; ')}`);
  const perRowSeconds = new Map<string, number>();
  for (const kind of plan.kinds) {
    let previous: { models: number; rates: Partial<Record<Variant, number>> } | null = null;
    for (const models of plan.sizes) {
      const rates: Partial<Record<Variant, number>> = {};
      for (const variant of variantsFor(plan.gpu).filter((v) => !plan.variants || plan.variants.includes(v))) {
        const spec = cellSpec(plan, kind, variant, models);
        const rows = kind === 'teacher' ? models : 4 * models;
        const predicted = (perRowSeconds.get(`${kind}:${variant}`) ?? 0) * rows;
        // On a CPU, a batched stack several times slower than model by model at a smaller size
        // will not win at a larger one: a run would never pick it, so it is not worth minutes here.
        const hopeless =
          !plan.gpu &&
          variant === 'stock-batched' &&
          previous &&
          (previous.rates['stock-batched'] ?? 0) * 3 < (previous.rates['stock-per-model'] ?? 0);
        const stateBytes = 3 * rows * paramLayout(layerSizes(spec.hidden, spec.auxLogits)).perModel * 4;
        const tooBig = plan.maxBufferBytes !== undefined && stateBytes > plan.maxBufferBytes;
        if (predicted > plan.maxStepSeconds || hopeless || tooBig) {
          const skipped = tooBig
            ? `skipped: a ${Math.round(stateBytes / 2 ** 20)} MB stack exceeds the ${Math.round(plan.maxBufferBytes! / 2 ** 20)} MB buffer limit (runs chunk it)`
            : hopeless
              ? `skipped: over 3× slower than stock-per-model at ${previous!.models}`
              : `skipped: about ${predicted.toFixed(0)} s per step`;
          yield { spec, rows, threads: 1, speedup: null, skipped } as BenchRow;
          continue;
        }
        const result = await measureCell(spec, plan.webGpuKernels);
        perRowSeconds.set(`${kind}:${variant}`, result.secondsPerStep / result.rows);
        rates[variant] = result.modelSamplesPerSecond;
        yield { ...result, threads: 1, speedup: rates.autodiff ? result.modelSamplesPerSecond / rates.autodiff : null };
      }
      const extra = await afterSize?.(kind, models, rates);
      if (extra) yield { ...extra, speedup: rates.autodiff ? extra.modelSamplesPerSecond / rates.autodiff : null };
      previous = { models, rates };
    }
  }
}
