/**
 * The page's `?bench` mode: the benchmark of `npm run bench`, run in this browser on the engine's
 * own backend, as a table to read and JSON to download. Sizes: `?bench=1,10,100` (default).
 */
import { useEffect, useState } from 'react';
import type { BackendChoice } from '../../experiment/device/backend';
import { formatBenchTable, type BenchRow } from '../../experiment/bench/report';
import type { EngineConnection } from '../../worker/client';
import { BackendBadge } from '../common/BackendBadge';
import { downloadText } from '../common/download';

type Status = { kind: 'idle' } | { kind: 'running' } | { kind: 'done' } | { kind: 'failed'; reason: string };

export function benchSizes(query: string): number[] {
  const text = new URLSearchParams(query).get('bench') ?? '';
  const sizes = text
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 1 && n <= 1000);
  return sizes.length > 0 ? sizes : [1, 10, 100];
}

export function BenchPage({ connection, sizes }: { connection: EngineConnection; sizes: number[] }) {
  const [backend, setBackend] = useState<BackendChoice | null>(null);
  const [rows, setRows] = useState<BenchRow[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(
    () =>
      connection.onMessage((message) => {
        if (message.type === 'backend') setBackend(message.choice);
        else if (message.type === 'bench-row') setRows((previous) => [...previous, message.row]);
        else if (message.type === 'bench-done') setStatus({ kind: 'done' });
        else if (message.type === 'bench-failed') setStatus({ kind: 'failed', reason: message.reason });
        else if (message.type === 'worker-error' || message.type === 'device-lost')
          setStatus({ kind: 'failed', reason: message.reason });
      }),
    [connection],
  );

  const start = () => {
    setRows([]);
    setStatus({ kind: 'running' });
    connection.send({ type: 'bench', sizes, steps: 5 });
  };
  const report = () =>
    JSON.stringify({ date: new Date().toISOString(), backend, userAgent: navigator.userAgent, rows }, null, 2);

  return (
    <main className="bench">
      <h1>Subliminal · training-step benchmark</h1>
      <BackendBadge choice={backend} />
      <p>
        Teacher and distillation steps of the paper&apos;s MLP (784-256-256-13, batch 1024) at stacks of{' '}
        {sizes.join(', ')} models, by each implementation. Large stacks take minutes on a slow device; cells predicted
        to need over 20 s a step are skipped.
      </p>
      <p>
        <button type="button" onClick={start} disabled={status.kind === 'running' || backend === null}>
          {status.kind === 'running' ? 'Measuring…' : 'Run the benchmark'}
        </button>{' '}
        <button
          type="button"
          onClick={() => downloadText(report(), 'bench-results.json', 'application/json')}
          disabled={rows.length === 0}
        >
          Download JSON
        </button>
      </p>
      {status.kind === 'failed' && <p role="alert">The benchmark stopped: {status.reason}</p>}
      {status.kind === 'done' && <p role="status">Done: {rows.length} cells.</p>}
      <pre data-testid="bench-table">{rows.length > 0 ? formatBenchTable(rows) : 'No measurements yet.'}</pre>
    </main>
  );
}
