/**
 * The benchmark's sweep, shared by `npm run bench` and the page's `?bench` mode: every step kind
 * × stack size × implementation, skipping cells whose step would take longer than `maxStepSeconds`
 * (predicted from the same implementation at a smaller size).
 */
import type { StepKernels } from '../experiment/step/kernels';
import { measureCell, PAPER_SHAPE, type CellSpec, type StepKind, type Variant } from './cells';
import type { BenchRow } from './report';
import { layerSizes } from '../experiment/mlp';
import { paramLayout } from '../experiment/step/layout';

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
  return gpu ? ['plain', 'lean-batched', 'lean-webgpu'] : ['plain', 'lean-per-model', 'lean-batched', 'simd'];
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
    plainMode: plan.gpu ? 'batched' : 'per-model',
  };
}

/** Measures every cell in turn; `afterSize` may add rows (the command line's threaded ones). */
export async function* benchRows(
  plan: BenchPlan,
  afterSize?: (kind: StepKind, models: number, rates: Partial<Record<Variant, number>>) => Promise<BenchRow | null>,
): AsyncGenerator<BenchRow, void, void> {
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
          variant === 'lean-batched' &&
          previous &&
          (previous.rates['lean-batched'] ?? 0) * 3 < (previous.rates['lean-per-model'] ?? 0);
        const stateBytes = 3 * rows * paramLayout(layerSizes(spec.hidden, spec.auxLogits)).perModel * 4;
        const tooBig = plan.maxBufferBytes !== undefined && stateBytes > plan.maxBufferBytes;
        if (predicted > plan.maxStepSeconds || hopeless || tooBig) {
          const skipped = tooBig
            ? `skipped: a ${Math.round(stateBytes / 2 ** 20)} MB stack exceeds the ${Math.round(plan.maxBufferBytes! / 2 ** 20)} MB buffer limit (runs chunk it)`
            : hopeless
              ? `skipped: over 3× slower than lean-per-model at ${previous!.models}`
              : `skipped: about ${predicted.toFixed(0)} s per step`;
          yield { spec, rows, threads: 1, speedup: null, skipped } as BenchRow;
          continue;
        }
        const result = await measureCell(spec, plan.webGpuKernels);
        perRowSeconds.set(`${kind}:${variant}`, result.secondsPerStep / result.rows);
        rates[variant] = result.modelSamplesPerSecond;
        yield { ...result, threads: 1, speedup: rates.plain ? result.modelSamplesPerSecond / rates.plain : null };
      }
      const extra = await afterSize?.(kind, models, rates);
      if (extra) yield { ...extra, speedup: rates.plain ? extra.modelSamplesPerSecond / rates.plain : null };
      previous = { models, rates };
    }
  }
}
