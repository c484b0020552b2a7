// @vitest-environment jsdom
/**
 * Drawing on a run shown again from history, wired as App wires it (engine hook + saved runs +
 * the pad) on fake-indexeddb and a fake engine: the run's final weights are kept with it, handed to
 * the worker when it is shown again after a reload, and a record that kept none says so.
 */
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import type { ModelWeights } from '../../../src/experiment/results';
import { DrawDigit } from '../../../src/ui/draw/DrawDigit';
import { openRunStore } from '../../../src/ui/history/store';
import { useRunHistory } from '../../../src/ui/history/useRunHistory';
import { useEngine } from '../../../src/ui/state/useEngine';
import type { DrawWeights, ToWorker } from '../../../src/worker/protocol';
import { FakeConnection, makeResult } from '../../support/ui/fixtures';
import { record } from '../../support/ui/records';

const realFactory = globalThis.indexedDB;
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  globalThis.indexedDB = realFactory;
});

function Page({ connection }: { connection: FakeConnection }) {
  const [engine, actions] = useEngine(connection);
  useRunHistory(engine.run, actions.restore);
  return (
    <>
      <button type="button" onClick={() => actions.start(preset('tiny'))}>
        Run
      </button>
      <DrawDigit engine={engine} actions={actions} featured="student_aux" />
    </>
  );
}

/** A small model with weights that differ from model to model (784 → 3 → 12). */
function model(seed: number): ModelWeights {
  const fill = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 31 + i));
  return { sizes: [784, 3, 12], weights: [fill(784 * 3), fill(3 * 12)], biases: [fill(3), fill(12)] };
}
const WEIGHTS: DrawWeights = { teacher: model(1), student_aux: model(2), cross_aux: model(3) };

/** The weights as plain numbers, to compare across realms (a clone's Float32Array is another realm's). */
const plain = (weights: DrawWeights | null | undefined) =>
  weights &&
  Object.fromEntries(
    Object.entries(weights).map(([name, m]) => [
      name,
      { sizes: m!.sizes, weights: m!.weights.map((w) => Array.from(w)), biases: m!.biases.map((b) => Array.from(b)) },
    ]),
  );

type SentDrawWeights = Extract<ToWorker, { type: 'draw-weights' }>;
const drawWeightsSent = (connection: FakeConnection) =>
  connection.sent.filter((m): m is SentDrawWeights => m.type === 'draw-weights');

/** One vertical stroke on the pad. */
function drawOne() {
  const pad = screen.getByTestId('draw-pad');
  const at = (clientY: number) => ({ pointerId: 1, pointerType: 'mouse', button: 0, clientX: 140, clientY });
  fireEvent.pointerDown(pad, at(40));
  fireEvent.pointerMove(pad, at(240));
  fireEvent.pointerUp(pad, at(240));
}

describe('drawing on a saved run', () => {
  it("keeps model 0's final weights with the run, and after a reload the run reads drawings with them", async () => {
    const first = new FakeConnection();
    const firstView = render(<Page connection={first} />);
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const runId = first.lastStart().runId;
    first.emit({ type: 'models-ready', runId, models: ['teacher', 'student_aux', 'cross_aux'] });
    first.emit({ type: 'final-weights', runId, weights: WEIGHTS });
    first.emitRun({ type: 'finished', result: makeResult(preset('tiny')) });
    await waitFor(async () => expect(await (await openRunStore()).list()).toHaveLength(1));
    const [saved] = await (await openRunStore()).list();
    expect(plain(saved.drawWeights)).toEqual(plain(WEIGHTS));
    // Stored as Float32Arrays (from fake-indexeddb's realm in this test, so by tag, not instanceof).
    expect(Object.prototype.toString.call(saved.drawWeights?.teacher?.weights[0])).toBe('[object Float32Array]');
    // This visit's own run: the worker holds its weights already, nothing is sent back.
    expect(drawWeightsSent(first)).toHaveLength(0);
    firstView.unmount();

    // A reload: the page shows the saved run and hands its weights to the (fresh) worker.
    const second = new FakeConnection();
    render(<Page connection={second} />);
    await waitFor(() => expect(drawWeightsSent(second)).toHaveLength(1));
    const [sent] = drawWeightsSent(second);
    expect(plain(sent.weights)).toEqual(plain(WEIGHTS));
    expect(screen.getByTestId('draw-status')).toHaveTextContent("Getting this saved run's models ready");
    second.emit({ type: 'models-ready', runId: sent.runId, models: ['teacher', 'student_aux', 'cross_aux'] });
    expect(screen.getByTestId('draw-status')).toHaveTextContent('Read by the models of this saved run');
    drawOne();
    expect(second.sent.filter((m) => m.type === 'classify')).toHaveLength(1);
  });

  it('a run saved before runs kept weights says so, and sends no drawing', async () => {
    await (await openRunStore()).save(record(Date.now()));
    const connection = new FakeConnection();
    render(<Page connection={connection} />);
    await waitFor(() => expect(drawWeightsSent(connection)).toHaveLength(1));
    const [sent] = drawWeightsSent(connection);
    expect(sent.weights).toBeNull();
    // The worker drops whatever it held and says it can read with nothing.
    connection.emit({ type: 'models-ready', runId: sent.runId, models: [] });
    expect(screen.getByTestId('draw-status')).toHaveTextContent('This saved run kept no weights: run again to draw.');
    drawOne();
    expect(connection.sent.filter((m) => m.type === 'classify')).toHaveLength(0);
  });
});
