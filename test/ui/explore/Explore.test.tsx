// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { preset, type ExperimentConfig } from '../../../src/experiment/config';
import type { ChainGeneration } from '../../../src/experiment/results';
import { sweepFromQuery } from '../../../src/experiment/sweep/sweep';
import { App } from '../../../src/ui/App';
import { ACCURACIES, FakeConnection, makeResult } from '../../support/ui/fixtures';

/** Every download the page starts: file name and contents. */
let downloads: { filename: string; blob: Blob }[];

beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = vi.fn((blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ filename: this.download, blob: blobs.get(this.href)! });
  });
});

function renderApp(url = '/') {
  window.history.replaceState(null, '', url);
  const connection = new FakeConnection();
  render(<App connection={connection} />);
  return { connection, user: userEvent.setup() };
}

const panel = (name: RegExp) => screen.getByRole('region', { name });
/** The jobs the page gave the engine: runs and sweeps. */
const jobs = (connection: FakeConnection) => connection.sent.filter((m) => m.type === 'start' || m.type === 'sweep');

/** A result of this config whose same-init aux student reads `same` (two models, ±0.01). */
function resultAt(config: ExperimentConfig, same: number, chain?: ChainGeneration[]) {
  const result = makeResult(config, {
    ...ACCURACIES,
    student_aux: [same - 0.01, same + 0.01],
    cross_aux: [0.1, 0.1],
    teacher: [0.9, 0.9],
  });
  return chain ? { ...result, chain } : result;
}

describe('Explore: sweeps in the page', () => {
  it('offers the settings to sweep, each with its own first values', async () => {
    const { user } = renderApp();
    const sweep = panel(/Change one setting/);
    const values = within(sweep).getByLabelText('Values (comma-separated)');
    expect(values).toHaveValue('1,2,3,5,10');
    await user.selectOptions(within(sweep).getByLabelText('Setting to vary'), 'learning rate');
    expect(values).toHaveValue('0.0001,0.0003,0.001,0.003,0.01');
    await user.selectOptions(within(sweep).getByLabelText('Setting to vary'), 'distillation inputs');
    expect(values).toHaveValue('uniform,gaussian,shuffled,mnist');
    // Before any run: what will be measured.
    expect(within(sweep).getByTestId('values-caption')).toHaveTextContent('What will be measured');
  });

  it('shows refused values and keeps Run sweep off until they are fixed', async () => {
    const { user, connection } = renderApp();
    const sweep = panel(/Change one setting/);
    const values = within(sweep).getByLabelText('Values (comma-separated)');
    await user.clear(values);
    await user.type(values, '1,0,1');
    const issues = within(sweep).getByTestId('values-issues');
    expect(issues).toHaveAttribute('role', 'alert');
    expect(issues).toHaveTextContent('repeats a value');
    expect(values).toHaveAttribute('aria-invalid', 'true');
    const run = within(sweep).getByTestId('values-run');
    expect(run).toBeDisabled();
    expect(run).toHaveAccessibleDescription(/Fix the values first/);
    await user.click(run);
    expect(jobs(connection)).toHaveLength(0);
    await user.clear(values);
    await user.type(values, '2,4');
    expect(within(sweep).queryByTestId('values-issues')).toBeNull();
    expect(run).toBeEnabled();
  });

  it('runs the values one after another, draws each point, and ends with the numbers, the link and the JSON', async () => {
    const { user, connection } = renderApp();
    const sweep = panel(/Change one setting/);
    const values = within(sweep).getByLabelText('Values (comma-separated)');
    await user.clear(values);
    await user.type(values, '2,10');
    await user.click(within(sweep).getByTestId('values-run'));

    // The engine gets the whole sweep at once, planned from the current settings.
    expect(jobs(connection)).toEqual([connection.lastSweep()]);
    const { runId, base, plan } = connection.lastSweep();
    expect(base).toEqual(preset('quick'));
    expect(plan).toMatchObject({ setting: 'auxLogits', values: ['2', '10'] });
    const [first, second] = plan.configs;
    expect(first).toEqual({ ...preset('quick'), auxLogits: 2 });
    expect(second).toEqual({ ...preset('quick'), auxLogits: 10 });
    expect(within(sweep).getByTestId('values-run')).toBeDisabled();
    expect(screen.getByTestId('run')).toBeDisabled();
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent('Running value 1 of 2 (m = 2).');
    // The link now reproduces the sweep.
    expect(new URLSearchParams(window.location.search).get('sweep')).toBe('auxLogits=2,10');

    connection.emitSweepRun(0, {
      type: 'progress',
      phase: 'teacher',
      step: 5,
      totalSteps: 10,
      stepsPerSecond: 5,
      fraction: 0.5,
      secondsLeft: 1,
    });
    expect(within(sweep).getByTestId('values-run-progress')).toHaveTextContent(
      'This run: Stage 1 · The teacher learns digits, 50%.',
    );
    expect(within(sweep).getByRole('progressbar', { name: 'Progress of the sweep' })).toHaveAttribute(
      'aria-valuenow',
      '25',
    );

    connection.emitSweepValue(0, resultAt(first, 0.4));
    // The engine goes on to the next value by itself: the page sends nothing more.
    expect(jobs(connection)).toHaveLength(1);
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent('Running value 2 of 2 (m = 10).');
    expect(within(sweep).getByRole('progressbar', { name: 'Progress of the sweep' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
    expect(within(sweep).getByTestId('values-table-2-same')).toHaveTextContent('40.0% ± 2.0 points');
    expect(within(sweep).getByTestId('values-export-json')).toBeDisabled();
    expect(within(sweep).getByTestId('values-export-svg')).toBeEnabled();

    connection.emitSweepRun(1, { type: 'phase', phase: 'teacher', message: 'go', totalSteps: 10 });
    expect(within(sweep).getByTestId('values-run-progress')).toHaveTextContent(
      'This run: Stage 1 · The teacher learns digits, 0%.',
    );
    connection.emitSweepValue(1, resultAt(second, 0.8));
    connection.emitSweepFinished(75);
    expect(jobs(connection)).toHaveLength(1);
    expect(connection.sent.filter((m) => m.type === 'cancel')).toEqual([]);
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent('Done: all 2 runs in 1 min 15 s.');
    expect(within(sweep).getByTestId('values-table-10-same')).toHaveTextContent('80.0%');
    expect(within(sweep).getByTestId('values-table-10-different')).toHaveTextContent('10.0%');
    expect(within(sweep).getByTestId('values-caption')).toHaveTextContent('mean test accuracy of 4 models');
    expect(within(sweep).getByTestId('values-caption')).toHaveTextContent('community (paper recipe)');
    expect(within(sweep).getByTestId('values-run')).toBeEnabled();
    expect(screen.getByTestId('run')).toBeEnabled();
    expect(runId).toBe(1);

    // The chart: the same-init interval at each value (the control's is 0 here), the community's
    // diamonds for m = 2, 3, 5 and 10 (those within the values swept), chance.
    const svg = within(sweep).getByRole('figure').querySelector('svg.recharts-surface')!;
    expect(svg.querySelectorAll('.recharts-errorBar')).toHaveLength(2);
    expect(svg.querySelectorAll('.recharts-scatter .recharts-symbols')).toHaveLength(4);
    expect(within(svg as unknown as HTMLElement).getByText('chance 10%')).toBeInTheDocument();

    await user.click(within(sweep).getByTestId('values-export-json'));
    expect(downloads.map((d) => d.filename)).toEqual(['sweep-auxLogits.json']);
    const saved = JSON.parse(await downloads[0].blob.text());
    expect(saved).toMatchObject({ kind: 'sweep', setting: 'auxLogits', values: ['2', '10'], base: preset('quick') });
    expect(saved.points.map((p: { value: string }) => p.value)).toEqual(['2', '10']);
    expect(saved.points[1].result.conditions.student_aux.mean).toBeCloseTo(0.8);
  });

  it('saves the sweep chart as a standalone SVG drawn off screen', async () => {
    const { user, connection } = renderApp();
    const sweep = panel(/Change one setting/);
    await user.clear(within(sweep).getByLabelText('Values (comma-separated)'));
    await user.type(within(sweep).getByLabelText('Values (comma-separated)'), '3');
    await user.click(within(sweep).getByTestId('values-run'));
    connection.emitSweepValue(0, resultAt(connection.lastSweep().plan.configs[0], 0.5));
    connection.emitSweepFinished();
    await user.click(within(sweep).getByTestId('values-export-svg'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].filename).toBe('sweep-auxLogits.svg');
    const svg = new DOMParser().parseFromString(await downloads[0].blob.text(), 'image/svg+xml').documentElement;
    expect(svg.getAttribute('width')).toBe('960');
    expect(svg.textContent).toContain('test accuracy against auxiliary logits m');
    // The note follows the download on a later render: wait for it, as a loaded machine may be slow.
    await waitFor(() =>
      expect(within(sweep).getByTestId('values-export-note')).toHaveTextContent('Saved sweep-auxLogits.svg.'),
    );
  });

  it('a cancelled sweep stops with a clear message and keeps its finished points', async () => {
    const { user, connection } = renderApp();
    const sweep = panel(/Change one setting/);
    await user.clear(within(sweep).getByLabelText('Values (comma-separated)'));
    await user.type(within(sweep).getByLabelText('Values (comma-separated)'), '1,2,3');
    await user.click(within(sweep).getByTestId('values-run'));
    const { runId, plan } = connection.lastSweep();
    connection.emitSweepValue(0, resultAt(plan.configs[0], 0.1));
    connection.emitSweepRun(1, { type: 'phase', phase: 'teacher', message: 'go', totalSteps: 10 });
    await user.click(within(sweep).getByTestId('values-cancel'));
    // The cancel names the sweep's run id: the engine stops the whole sweep.
    expect(connection.sent.at(-1)).toEqual({ type: 'cancel', runId });
    expect(within(sweep).getByTestId('values-cancel')).toBeDisabled();
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent(
      'Cancelling the sweep after the current step of value 2 of 3 (m = 2)…',
    );
    connection.emitSweepStopped(1, { type: 'cancelled', phase: 'teacher', step: 3 });
    const status = within(sweep).getByTestId('values-status');
    expect(status).toHaveTextContent(
      'The sweep was cancelled at value 2 of 3 (m = 2). The finished value is kept below.',
    );
    expect(within(status).getByRole('alert')).toBeInTheDocument();
    expect(within(sweep).getByTestId('values-table-1-same')).toHaveTextContent('10.0%');
    expect(jobs(connection)).toHaveLength(1);
    expect(within(sweep).getByTestId('values-run')).toBeEnabled();
  });

  it("the page's story follows each value's run, and Cancel between two values stops the sweep", async () => {
    const { user, connection } = renderApp();
    const sweep = panel(/Change one setting/);
    await user.clear(within(sweep).getByLabelText('Values (comma-separated)'));
    await user.type(within(sweep).getByLabelText('Values (comma-separated)'), '1,2,3');
    await user.click(within(sweep).getByTestId('values-run'));
    const { runId, plan } = connection.lastSweep();
    connection.emitSweepRun(0, { type: 'phase', phase: 'teacher', message: 'go', totalSteps: 10 });
    expect(screen.getByTestId('phase')).toHaveTextContent('The teacher learns digits');
    expect(screen.getByTestId('cancel')).toBeEnabled();
    connection.emitSweepValue(0, resultAt(plan.configs[0], 0.1));
    // The first value's result is the story's for now.
    expect(Number(screen.getByTestId('result-student_aux').getAttribute('data-value'))).toBeCloseTo(0.1);
    // The next value's run starts the story afresh, then ends with its own result.
    connection.emitSweepRun(1, { type: 'phase', phase: 'teacher', message: 'go', totalSteps: 10 });
    expect(screen.queryByTestId('result-student_aux')).toBeNull();
    connection.emitSweepValue(1, resultAt(plan.configs[1], 0.2));
    expect(Number(screen.getByTestId('result-student_aux').getAttribute('data-value'))).toBeCloseTo(0.2);
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent('Running value 3 of 3 (m = 3).');

    // Between two values the story's run has finished, but the sweep goes on: Cancel stops it.
    await user.click(within(sweep).getByTestId('values-cancel'));
    expect(connection.sent.at(-1)).toEqual({ type: 'cancel', runId });
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent(
      'Cancelling the sweep after the current step of value 3 of 3 (m = 3)…',
    );
    connection.emitSweepStopped(2, { type: 'cancelled', phase: 'prepare', step: 0 });
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent(
      'The sweep was cancelled at value 3 of 3 (m = 3). The 2 finished values are kept below.',
    );
    expect(within(sweep).getByTestId('values-table-2-same')).toHaveTextContent('20.0%');
    expect(within(sweep).getByTestId('values-run')).toBeEnabled();
    expect(jobs(connection)).toHaveLength(1);
  });

  it('a failed run stops the sweep with its reason', async () => {
    const { user, connection } = renderApp();
    const sweep = panel(/Change one setting/);
    await user.click(within(sweep).getByTestId('values-run'));
    connection.emitSweepRun(0, { type: 'phase', phase: 'distill', message: 'go', totalSteps: 10 });
    connection.emitSweepStopped(0, { type: 'failed', phase: 'distill', reason: 'WebGPU ran out of memory' });
    expect(within(sweep).getByTestId('values-status')).toHaveTextContent(
      'The sweep stopped: the run at value 1 of 5 (m = 1) failed: WebGPU ran out of memory. No value had finished yet.',
    );
    expect(jobs(connection)).toHaveLength(1);
    expect(within(sweep).getByTestId('values-run')).toBeEnabled();
  });

  it('the layer comparison runs every combination and labels them in words', async () => {
    const { user, connection } = renderApp();
    const layers = panel(/Which layers must be shared/);
    expect(within(layers).getByTestId('layers-caption')).toHaveTextContent(
      'output heads matter more than shared hidden layers',
    );
    expect(within(layers).getByTestId('layers-caption')).toHaveTextContent(
      'A fresh layer comes from a new random initialisation',
    );
    await user.click(within(layers).getByTestId('layers-run'));
    expect(within(layers).getByText(/8 runs of 4 models/)).toBeInTheDocument();
    const accuracy: Record<string, number> = { none: 0.7, '1+2': 0.5, '3': 0.12 };
    const { plan } = connection.lastSweep();
    expect(jobs(connection)).toHaveLength(1);
    expect(plan.configs.map((config) => config.freshLayers.join('+'))).toEqual([
      '',
      '1',
      '2',
      '3',
      '1+2',
      '1+3',
      '2+3',
      '1+2+3',
    ]);
    plan.configs.forEach((config, i) => {
      const key = config.freshLayers.length === 0 ? 'none' : config.freshLayers.join('+');
      connection.emitSweepValue(i, resultAt(config, accuracy[key] ?? 0.3));
    });
    connection.emitSweepFinished();
    expect(jobs(connection)).toHaveLength(1);
    const table = within(layers).getByTestId('layers-table');
    for (const words of ['all shared', 'layer 1 fresh', 'layers 1+2 fresh', 'all fresh'])
      expect(within(table).getByText(words)).toBeInTheDocument();
    expect(within(layers).getByTestId('layers-verdict')).toHaveTextContent(
      'Everything shared: the same-start student reads 70% of test digits. Every hidden layer fresh, output layer shared: 50%. Only the output layer (layer 3) fresh: 12%.',
    );
    const svg = within(layers).getByRole('figure').querySelector('svg.recharts-surface')!;
    expect(svg.querySelectorAll('.recharts-errorBar')).toHaveLength(8);
    expect(svg.textContent).toContain('shared');

    await user.click(within(layers).getByTestId('layers-export-svg'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].filename).toBe('sweep-layers.svg');
    expect(await downloads[0].blob.text()).toContain('Which layers must the student share');
  });

  it('chains: says what will be measured, runs each m with the generations, and draws generation 0 as the teacher', async () => {
    const { user, connection } = renderApp();
    const chains = panel(/Chains/);
    expect(within(chains).getByTestId('chain-caption')).toHaveTextContent('What will be measured');
    expect(within(chains).getByTestId('chain-caption')).toHaveTextContent('96% → 63% → 36% → 26% → 20%');
    const generations = within(chains).getByLabelText('Generations');
    expect(generations).toHaveValue('5');
    await user.clear(generations);
    await user.type(generations, '12');
    expect(within(chains).getByTestId('chain-issues')).toHaveTextContent('from 2 to 10');
    expect(within(chains).getByTestId('chain-run')).toBeDisabled();
    await user.clear(generations);
    await user.type(generations, '3');
    await user.click(within(chains).getByTestId('chain-run'));
    const chain = (values: number[]): ChainGeneration[] =>
      values.map((v, i) => ({
        generation: i + 1,
        accuracy: { teacher: i === 0 ? [0.9, 0.9] : [values[i - 1], values[i - 1]], student_aux: [v, v] },
      }));
    expect(jobs(connection)).toHaveLength(1);
    const [first, second] = connection.lastSweep().plan.configs;
    expect(connection.lastSweep().plan.configs).toHaveLength(2);
    expect(first).toMatchObject({ auxLogits: 3, generations: 3 });
    expect(second).toMatchObject({ auxLogits: 10, generations: 3 });
    connection.emitSweepValue(0, resultAt(first, 0.5, chain([0.5, 0.3, 0.2])));
    connection.emitSweepValue(1, resultAt(second, 0.8, chain([0.8, 0.6, 0.45])));
    connection.emitSweepFinished();
    expect(within(chains).getByTestId('chain-3-0')).toHaveTextContent('90.0%');
    expect(within(chains).getByTestId('chain-3-3')).toHaveTextContent('20.0%');
    expect(within(chains).getByTestId('chain-10-3')).toHaveTextContent('45.0%');
    expect(within(chains).getByTestId('chain-caption')).toHaveTextContent(
      'more extra outputs (larger m) carried more of it, so the chain lasted longer',
    );
    expect(within(chains).queryByTestId('chain-unreported')).toBeNull();
    expect(new URLSearchParams(window.location.search).get('generations')).toBe('3');

    await user.click(within(chains).getByTestId('chain-export-svg'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].filename).toBe('chain-m.svg');
    // The link names the chain (user-event stands in for the clipboard).
    await user.click(within(chains).getByTestId('chain-copy-link'));
    expect(within(chains).getByTestId('chain-export-note')).toHaveTextContent('Link copied');
    const link = new URL(await navigator.clipboard.readText());
    expect(link.searchParams.get('sweep')).toBe('auxLogits=3,10');
    expect(link.searchParams.get('generations')).toBe('3');
  });

  it('a sweep link fills the panel in without running it', () => {
    const { connection } = renderApp('/?preset=tiny&models=2&sweep=lr%3D0.0003%2C0.003');
    const sweep = panel(/Change one setting/);
    expect(within(sweep).getByLabelText('Setting to vary')).toHaveValue('learningRate');
    expect(within(sweep).getByLabelText('Values (comma-separated)')).toHaveValue('0.0003,0.003');
    expect(within(sweep).getByTestId('values-from-link')).toBeInTheDocument();
    expect(screen.getByLabelText('Models')).toHaveValue('2');
    expect(screen.queryByTestId('link-issues')).toBeNull();
    // Only the data for the settings is fetched ahead; nothing runs.
    expect(jobs(connection)).toEqual([]);
  });

  it('the link written by a sweep opens the same sweep again', async () => {
    const first = renderApp('/?preset=tiny');
    const sweep = panel(/Change one setting/);
    await first.user.selectOptions(within(sweep).getByLabelText('Setting to vary'), 'distillation loss');
    await first.user.click(within(sweep).getByTestId('values-run'));
    const link = window.location.search;
    expect(sweepFromQuery(link).plan?.values).toEqual(['kl', 'mse']);
    document.body.innerHTML = '';
    renderApp(`/${link}`);
    const again = panel(/Change one setting/);
    expect(within(again).getByLabelText('Setting to vary')).toHaveValue('distillLoss');
    expect(within(again).getByLabelText('Values (comma-separated)')).toHaveValue('kl,mse');
  });

  it('chain and layer links fill their own panels in', () => {
    renderApp('/?preset=quick&generations=4&sweep=m%3D3%2C20');
    const chains = panel(/Chains/);
    expect(within(chains).getByLabelText('Generations')).toHaveValue('4');
    expect(within(chains).getByLabelText(/Extra outputs m/)).toHaveValue('3,20');
    expect(within(chains).getByTestId('chain-from-link')).toBeInTheDocument();
    expect(within(panel(/Change one setting/)).queryByTestId('values-from-link')).toBeNull();
  });

  it('a refused sweep link says why in its panel', () => {
    renderApp('/?preset=tiny&sweep=m%3D1%2C0');
    const sweep = panel(/Change one setting/);
    expect(within(sweep).getByTestId('values-issues')).toHaveTextContent("This link's sweep cannot run as it is:");
    expect(within(sweep).getByTestId('values-issues')).toHaveTextContent('auxLogits = 0');
    expect(within(sweep).getByTestId('values-run')).toBeDisabled();
  });
});
