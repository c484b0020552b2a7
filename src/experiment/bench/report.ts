/** A benchmark's rows and their table: plain data, no tensors (the page shows them too). */
import type { CellResult, CellSpec } from './cells';

export interface BenchRow extends Omit<CellResult, 'spec'> {
  spec: CellSpec;
  threads: number;
  /** Relative to `autodiff` at the same kind and size. */
  speedup: number | null;
  skipped?: string;
}

/** The rows as a fixed-width table. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const mb = (bytes: number | null) => (bytes === null || bytes === undefined ? '—' : (bytes / 2 ** 20).toFixed(0));
  const header = [
    'step',
    'models',
    'implementation',
    'threads',
    'model-samples/s',
    'ms/step',
    'vs autodiff',
    'kernels',
    'dispatches',
    'readbacks',
    'MB tensors',
    'MB GPU',
  ];
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
          row.readbacksPerStep === null ? '—' : String(row.readbacksPerStep),
          mb(row.tensorBytes),
          mb(row.gpuBytes),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...table.map(line)].join('\n');
}
