/**
 * `npm run bench`: training-step throughput at stacks of 1, 10 and 100 models (batch 1024, the
 * paper's MLP), for the teacher step and the distillation step, by each implementation:
 *   autodiff        the reference step: tfjs autodiff + tfjs Adam + gather kernels (reference/train.ts)
 *   stock-per-model the hand-written step, each model's products one by one (stock ops)
 *   stock-batched   the hand-written step, one batched product for the stack (stock ops)
 *   webgpu          the hand-written step on hand-written WebGPU programs (webgpu only)
 *   simd            the whole step in the CPU kernel (WebAssembly SIMD, models in its memory; CPU only)
 * and on CPU backends the fastest of them again in one worker thread per core, as a run uses.
 * Prints a table and writes JSON (--out) naming the backend and adapter. Flags: --backend,
 * --sizes 1,10,100, --kinds teacher,distill, --variants, --batch, --steps, --budget (seconds of
 * timed steps per cell), --max-step (skip cells predicted slower), --threads, --out.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { describeBackend, deviceLimits } from '../../experiment/device/backend';
import { splitEvenly } from '../../experiment/schedule/chunks';
import { startNodeBackend, isNodeBackendRequest, type NodeBackendRequest } from '../nodeBackend';
import { startTypeScriptWorker } from '../threads';
import { PAPER_SHAPE, type CellResult, type CellSpec, type StepKind } from '../../experiment/bench/cells';
import {
  benchIssues,
  benchRows,
  cellSpec,
  DEFAULT_PLAN,
  formatBenchTable,
  type BenchPlan,
  type BenchRow,
} from '../../experiment/bench/plan';
import { loadWebGpuKernels } from '../../experiment/step/webgpuLoader';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    sizes: { type: 'string', default: DEFAULT_PLAN.sizes.join(',') },
    kinds: { type: 'string', default: DEFAULT_PLAN.kinds.join(',') },
    batch: { type: 'string', default: String(DEFAULT_PLAN.batch) },
    steps: { type: 'string', default: String(DEFAULT_PLAN.steps) },
    budget: { type: 'string', default: String(DEFAULT_PLAN.budgetSeconds) },
    'max-step': { type: 'string', default: String(DEFAULT_PLAN.maxStepSeconds) },
    threads: { type: 'string' },
    variants: { type: 'string' },
    out: { type: 'string', default: 'bench-results.json' },
  },
});

const backendRequest = String(values.backend);
if (!isNodeBackendRequest(backendRequest))
  throw new Error(`--backend ${backendRequest}: choose wasm, webgpu, cpu or auto`);
const sizes = String(values.sizes).split(',').map(Number);
if (sizes.some((size) => !Number.isInteger(size) || size < 1))
  throw new Error(`--sizes ${values.sizes}: give whole numbers of models from 1 up, such as 1,10,100`);
const choice = await startNodeBackend(backendRequest as NodeBackendRequest);
const gpu = choice.name === 'webgpu';
const kinds = String(values.kinds).split(',') as StepKind[];
// Before anything is measured: a size the backend cannot hold would fail minutes in.
const unfit = benchIssues({ sizes, kinds }, deviceLimits());
if (unfit.length > 0) {
  for (const message of unfit) console.error(`error: ${message}`);
  process.exit(2);
}
const threads = gpu ? 1 : Number(values.threads ?? availableParallelism());
const plan: BenchPlan = {
  sizes,
  kinds,
  batch: Number(values.batch),
  steps: Number(values.steps),
  budgetSeconds: Number(values.budget),
  maxStepSeconds: Number(values['max-step']),
  gpu,
  maxBufferBytes: gpu ? deviceLimits().maxBufferBytes : undefined,
  variants: values.variants ? (String(values.variants).split(',') as BenchPlan['variants']) : undefined,
  webGpuKernels: gpu ? await loadWebGpuKernels() : undefined,
};

console.error(`backend: ${describeBackend(choice)}; ${cpus().length} CPU cores (${cpus()[0]?.model ?? 'unknown'})`);

/** The same cell split across worker threads, timed together. */
async function measureThreaded(cell: CellSpec, count: number): Promise<CellResult> {
  const parts = splitEvenly(cell.models, count);
  const workers = parts.map((part) =>
    startTypeScriptWorker(new URL('./bench.worker.ts', import.meta.url), {
      backend: choice.name,
      spec: { ...cell, models: part.length },
    }),
  );
  const messages = workers.map(
    (worker) =>
      new Promise<{ ready: Promise<void>; result: Promise<CellResult> }>((resolve, reject) => {
        let readyResolve!: () => void;
        const ready = new Promise<void>((r) => (readyResolve = r));
        const result = new Promise<CellResult>((r) => {
          worker.on('message', (message: { type: string; result?: CellResult }) => {
            if (message.type === 'ready') readyResolve();
            else r(message.result!);
          });
        });
        worker.on('error', reject);
        resolve({ ready, result });
      }),
  );
  const handles = await Promise.all(messages);
  await Promise.all(handles.map((h) => h.ready));
  workers.forEach((worker) => worker.postMessage('go'));
  const results = await Promise.all(handles.map((h) => h.result));
  await Promise.all(workers.map((worker) => worker.terminate()));
  const rows = results.reduce((sum, r) => sum + r.rows, 0);
  const steps = Math.min(...results.map((r) => r.timedSteps));
  return {
    ...results[0],
    spec: cell,
    rows,
    // Wall time of the slowest thread over its steps: what a run would see.
    secondsPerStep: Math.max(...results.map((r) => r.secondsPerStep)),
    modelSamplesPerSecond: results.reduce((sum, r) => sum + r.modelSamplesPerSecond, 0),
    kernelsPerStep: results.reduce((sum, r) => sum + r.kernelsPerStep, 0),
    readbacksPerStep: null,
    tensorBytes: results.reduce((sum, r) => sum + r.tensorBytes, 0),
    timedSteps: steps,
  };
}

const rows: BenchRow[] = [];
const threaded = async (
  kind: StepKind,
  models: number,
  rates: Partial<Record<string, number>>,
): Promise<BenchRow | null> => {
  if (gpu || threads < 2 || models < 2) return null;
  // The fastest CPU variant measured at this size, as a run would choose it.
  const candidates = (['simd', 'stock-per-model', 'stock-batched'] as const).filter((v) => rates[v] !== undefined);
  if (candidates.length === 0) return null;
  const variant = candidates.reduce((best, v) => ((rates[v] ?? 0) > (rates[best] ?? 0) ? v : best));
  const count = Math.min(threads, models);
  const result = await measureThreaded(cellSpec(plan, kind, variant, models), count);
  return { ...result, threads: count, speedup: null };
};
for await (const row of benchRows(plan, threaded)) {
  rows.push(row);
  const what = `${row.spec.kind} ×${row.spec.models} ${row.spec.variant}${row.threads > 1 ? ` × ${row.threads} threads` : ''}`;
  console.error(`${what}: ${row.skipped ?? `${row.modelSamplesPerSecond.toFixed(0)} model-samples/s`}`);
}

console.log(
  `backend: ${describeBackend(choice)} · batch ${plan.batch} · MLP 784-${PAPER_SHAPE.hidden.join('-')}-${10 + PAPER_SHAPE.auxLogits}`,
);
console.log(formatBenchTable(rows));
console.log(
  'A distillation step trains 4 students per model (model-samples count student-samples); kernels = tfjs kernel calls, dispatches = GPU compute passes.',
);

await writeFile(
  String(values.out),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      backend: choice.name,
      adapter: choice.adapter,
      description: describeBackend(choice),
      cpu: cpus()[0]?.model ?? null,
      cores: cpus().length,
      rows,
    },
    null,
    2,
  ),
);
console.error(`written to ${values.out}`);
process.exit(0);
