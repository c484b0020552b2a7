/**
 * `npm run bench`: training-step throughput at stacks of 1, 10 and 100 models (batch 1024, the
 * paper's MLP), for the teacher step and the distillation step, by each implementation:
 *   plain           the engine before the lean step (autodiff + tfjs Adam + gather kernels)
 *   lean-per-model  the lean step, each model's products one by one (stock ops)
 *   lean-batched    the lean step, one batched product for the stack (stock ops)
 *   lean-webgpu     the lean step on hand-written WebGPU programs (webgpu only)
 * and on CPU backends the faster lean mode again in one worker thread per core, as a run uses.
 * Prints a table and writes JSON (--out) naming the backend and adapter.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { describeBackend } from '../experiment/backend';
import { splitEvenly } from '../experiment/chunks';
import { startNodeBackend, isNodeBackendRequest, type NodeBackendRequest } from '../cli/nodeBackend';
import { startTypeScriptWorker } from '../cli/threads';
import { measureCell, PAPER_SHAPE, type CellResult, type CellSpec, type StepKind, type Variant } from './cells';
import { loadWebGpuKernels } from '../experiment/lean/webgpuLoader';

interface Row extends CellResult {
  threads: number;
  /** Relative to plain at the same kind and size. */
  speedup: number | null;
  skipped?: string;
}

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    sizes: { type: 'string', default: '1,10,100' },
    kinds: { type: 'string', default: 'teacher,distill' },
    batch: { type: 'string', default: String(PAPER_SHAPE.batch) },
    steps: { type: 'string', default: '5' },
    budget: { type: 'string', default: '15' },
    'max-step': { type: 'string', default: '20' },
    threads: { type: 'string' },
    out: { type: 'string', default: 'bench-results.json' },
  },
});

const backendRequest = String(values.backend);
if (!isNodeBackendRequest(backendRequest)) throw new Error(`--backend ${backendRequest}: choose wasm, webgpu, cpu or auto`);
const choice = await startNodeBackend(backendRequest as NodeBackendRequest);
const gpu = choice.name === 'webgpu';
const sizes = String(values.sizes).split(',').map(Number);
const kinds = String(values.kinds).split(',') as StepKind[];
const batch = Number(values.batch);
const maxStep = Number(values['max-step']);
const threads = gpu ? 1 : Number(values.threads ?? availableParallelism());
const variants: Variant[] = gpu ? ['plain', 'lean-batched', 'lean-webgpu'] : ['plain', 'lean-per-model', 'lean-batched'];
const webGpuKernels = gpu ? await loadWebGpuKernels() : undefined;

console.error(`backend: ${describeBackend(choice)}; ${cpus().length} CPU cores (${cpus()[0]?.model ?? 'unknown'})`);

const spec = (kind: StepKind, variant: Variant, models: number): CellSpec => ({
  kind,
  variant,
  models,
  batch,
  hidden: [...PAPER_SHAPE.hidden],
  auxLogits: PAPER_SHAPE.auxLogits,
  steps: Number(values.steps),
  budgetSeconds: Number(values.budget),
  plainMode: gpu ? 'batched' : 'per-model',
});

/** The same cell split across worker threads, timed together. */
async function measureThreaded(cell: CellSpec, count: number): Promise<CellResult> {
  const parts = splitEvenly(cell.models, count);
  const workers = parts.map((part) =>
    startTypeScriptWorker(new URL('./benchWorker.ts', import.meta.url), { backend: choice.name, spec: { ...cell, models: part.length } }),
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
  const start = performance.now();
  workers.forEach((worker) => worker.postMessage('go'));
  const results = await Promise.all(handles.map((h) => h.result));
  const wall = (performance.now() - start) / 1000;
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
    readbacksPerStep: results.reduce((sum, r) => sum + r.readbacksPerStep, 0),
    tensorBytes: results.reduce((sum, r) => sum + r.tensorBytes, 0),
    timedSteps: steps,
    ...(wall > 0 ? {} : {}),
  };
}

const rows: Row[] = [];
const estimate = new Map<string, number>(); // seconds per step per row, by kind and variant
for (const kind of kinds) {
  for (const models of sizes) {
    let plainRate: number | null = null;
    const leanRates: Partial<Record<Variant, number>> = {};
    for (const variant of variants) {
      const cell = spec(kind, variant, models);
      const rowsInStep = kind === 'teacher' ? models : 4 * models;
      const perRow = estimate.get(`${kind}:${variant}`);
      if (perRow !== undefined && perRow * rowsInStep > maxStep) {
        const skipped = `skipped: about ${(perRow * rowsInStep).toFixed(0)} s per step`;
        console.error(`${kind} ×${models} ${variant}: ${skipped}`);
        rows.push({ spec: cell, rows: rowsInStep, threads: 1, speedup: null, skipped } as Row);
        continue;
      }
      const result = await measureCell(cell, webGpuKernels);
      estimate.set(`${kind}:${variant}`, result.secondsPerStep / result.rows);
      if (variant === 'plain') plainRate = result.modelSamplesPerSecond;
      else leanRates[variant] = result.modelSamplesPerSecond;
      rows.push({ ...result, threads: 1, speedup: plainRate ? result.modelSamplesPerSecond / plainRate : null });
      console.error(`${kind} ×${models} ${variant}: ${result.modelSamplesPerSecond.toFixed(0)} model-samples/s`);
    }
    if (!gpu && threads > 1 && models > 1) {
      const mode: Variant = (leanRates['lean-per-model'] ?? 0) >= (leanRates['lean-batched'] ?? 0) ? 'lean-per-model' : 'lean-batched';
      const count = Math.min(threads, models);
      const result = await measureThreaded(spec(kind, mode, models), count);
      rows.push({ ...result, threads: count, speedup: plainRate ? result.modelSamplesPerSecond / plainRate : null });
      console.error(`${kind} ×${models} ${mode} × ${count} threads: ${result.modelSamplesPerSecond.toFixed(0)} model-samples/s`);
    }
  }
}

const mb = (bytes: number | null) => (bytes === null ? '—' : (bytes / 2 ** 20).toFixed(0));
const header = ['step', 'models', 'implementation', 'threads', 'model-samples/s', 'ms/step', 'vs plain', 'kernels', 'dispatches', 'readbacks', 'MB tensors', 'MB GPU'];
const table = rows.map((row) =>
  row.skipped
    ? [row.spec.kind, String(row.spec.models), row.spec.variant, '', row.skipped, '', '', '', '', '', '', '']
    : [
        row.spec.kind,
        String(row.spec.models),
        row.spec.variant,
        String(row.threads),
        row.modelSamplesPerSecond.toFixed(0),
        (row.secondsPerStep * 1000).toFixed(0),
        row.speedup === null ? '—' : `${row.speedup.toFixed(2)}×`,
        String(row.kernelsPerStep),
        row.dispatchesPerStep === null ? '—' : String(row.dispatchesPerStep),
        String(row.readbacksPerStep),
        mb(row.tensorBytes),
        mb(row.gpuBytes),
      ],
);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`backend: ${describeBackend(choice)} · batch ${batch} · MLP 784-${PAPER_SHAPE.hidden.join('-')}-${10 + PAPER_SHAPE.auxLogits}`);
console.log(line(header));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
table.forEach((r) => console.log(line(r)));
console.log('A distillation step trains 4 students per model (model-samples count student-samples); kernels = tfjs kernel calls, dispatches = GPU compute passes.');

await writeFile(
  String(values.out),
  JSON.stringify({ date: new Date().toISOString(), backend: choice.name, adapter: choice.adapter, description: describeBackend(choice), cpu: cpus()[0]?.model ?? null, cores: cpus().length, rows }, null, 2),
);
console.error(`written to ${values.out}`);
process.exit(0);
