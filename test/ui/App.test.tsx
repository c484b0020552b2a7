// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { preset } from '../../src/experiment/config';
import { App } from '../../src/ui/App';
import { ALIGNED_POINTS, DIGITS, FakeConnection, makeResult, makeTheorem, point } from '../support/ui/fixtures';

function renderApp() {
  const connection = new FakeConnection();
  const view = render(<App connection={connection} />);
  return { connection, user: userEvent.setup(), ...view };
}

describe('the page with a (fake) engine', () => {
  it('listens to the connection while mounted and stops on unmount', () => {
    const { connection, unmount } = renderApp();
    // The engine hook's, and its watchdog's (which only notes that the worker is alive).
    expect(connection.listenerCount).toBe(2);
    unmount();
    expect(connection.listenerCount).toBe(0);
  });

  it('shows the backend badge: waiting, then the backend with its adapter, or the fallback and why', () => {
    const { connection } = renderApp();
    expect(screen.getByTestId('backend')).toHaveTextContent('starting the engine…');
    connection.emit({ type: 'backend', choice: { name: 'webgpu', adapter: 'Google SwiftShader', fallbacks: [] } });
    expect(screen.getByTestId('backend')).toHaveTextContent('Running on your GPU (in software: SwiftShader)');
    expect(screen.getByTestId('backend')).toHaveTextContent('WebGPU backend');
    expect(screen.getByTestId('backend')).toHaveTextContent('Google SwiftShader');
    connection.emit({
      type: 'backend',
      choice: { name: 'wasm', adapter: null, fallbacks: [{ backend: 'webgpu', reason: 'navigator.gpu is missing' }] },
    });
    expect(screen.getByTestId('backend')).toHaveTextContent('Running on your CPU — no usable GPU found');
    expect(screen.getByTestId('backend')).toHaveTextContent('wasm (WebAssembly) backend');
    expect(screen.getByTestId('backend')).toHaveTextContent('WebGPU: navigator.gpu is missing');
  });

  it('runs: sends start, shows phase, progress, speed and time left, the pictures, then the result', async () => {
    const { connection, user } = renderApp();
    const bar = screen.getByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    await user.click(screen.getByTestId('run'));
    // The data for these settings was asked for while the page sat idle; Run starts the run.
    expect(connection.sent).toEqual([
      { type: 'prepare', config: preset('quick') },
      { type: 'start', runId: 1, config: preset('quick'), stopAtStages: false },
    ]);
    expect(screen.getByTestId('run')).toBeDisabled();
    expect(screen.getByTestId('cancel')).toBeEnabled();

    connection.emit({ type: 'data-progress', loadedBytes: 2_000_000, totalBytes: 11_300_000 });
    expect(screen.getByTestId('data-progress')).toHaveTextContent('Downloading the MNIST digits: 2.0 MB of 11.3 MB');
    connection.emit({ type: 'data-ready' });
    expect(screen.queryByTestId('data-progress')).toBeNull();

    connection.emitRun({
      type: 'phase',
      phase: 'teacher',
      message: 'The teacher learns to read digits',
      totalSteps: 157,
    });
    connection.emitRun(DIGITS);
    connection.emitRun({
      type: 'metrics',
      phase: 'teacher',
      point: point(20, 0.5, { teacher: [0.8, 0.9, 0.85, 0.85] }, { teacher: [7, 2, 1, 0, 4, 1, 4, 4] }),
    });
    connection.emitRun({
      type: 'progress',
      phase: 'teacher',
      step: 20,
      totalSteps: 157,
      stepsPerSecond: 12.5,
      fraction: 0.127,
      secondsLeft: 95,
    });
    expect(screen.getByTestId('phase')).toHaveTextContent('Step 1 of 3 · The teacher learns digits');
    expect(bar).toHaveAttribute('aria-valuenow', '13');
    expect(screen.getByText('about 1 min 35 s left · step 20 of 157 · 13 steps/s')).toBeInTheDocument();
    // In stage 1 and on the first screen, which shows the teacher's guesses until the students start.
    expect(screen.getAllByText('Teacher: 7 of 8 right.')).toHaveLength(2);
    expect(screen.getByText(/Teacher's test accuracy/)).toHaveTextContent('85%');
    // The wrong guess is marked in words, not only in colour.
    for (const guess of screen.getAllByLabelText('guess 4, wrong (it is a 9)')) expect(guess).toHaveClass('wrong');

    connection.emitRun({
      type: 'noise',
      images: [0, 1, 2, 3].map(() => new Array(784).fill(0)),
      auxProbabilities: [0, 1, 2, 3].map(() => [0.1, 0.6, 0.3]),
    });
    const bars = screen.getByLabelText(
      "Teacher's extra outputs on noise image 1: 3 numbers; the largest, 0.60, is output 2",
    );
    expect(bars.querySelectorAll('rect')).toHaveLength(3);
    expect(
      screen.getByText('Bars: how strongly the teacher answers with each of its 20 extra outputs on each image.'),
    ).toBeInTheDocument();

    connection.emitRun({ type: 'finished', result: makeResult() });
    expect(bar).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByTestId('result-student_aux')).toHaveTextContent('72.5%');
    expect(screen.getByTestId('run')).toBeEnabled();
    expect(screen.getByTestId('cancel')).toBeDisabled();
    expect(screen.getByTestId('export-json')).toBeEnabled();

    // And again: a new run with a new id.
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().runId).toBe(2);
    expect(screen.queryByTestId('result-student_aux')).toBeNull();
  });

  it('shows how the students move while they imitate, then why it happens once the one-step theorem is measured', async () => {
    const { connection, user } = renderApp();
    expect(screen.queryByRole('region', { name: /Inside the students/ })).toBeNull();
    expect(screen.getByTestId('theorem-waiting')).toBeInTheDocument();
    await user.click(screen.getByTestId('run'));
    connection.emitRun({ type: 'phase', phase: 'distill', message: 'The students imitate', totalSteps: 100 });
    for (const p of ALIGNED_POINTS) connection.emitRun({ type: 'metrics', phase: 'distill', point: p });
    expect(screen.getByRole('region', { name: /Inside the students/ })).toBeInTheDocument();
    expect(screen.getByTestId('alignment-now-update')).toHaveTextContent('same start +0.30');

    const theorem = makeTheorem();
    connection.emitRun({ type: 'phase', phase: 'theorem', message: 'One step of imitation', totalSteps: 4 });
    expect(screen.getByTestId('phase')).toHaveTextContent('Result final · Measuring why it happens');
    connection.emitRun({ type: 'theorem', result: theorem });
    expect(screen.queryByTestId('theorem-waiting')).toBeNull();
    expect(screen.getByTestId('theorem-shared')).toHaveTextContent('change −0.0123 at ε = 0.01');
    connection.emitRun({ type: 'finished', result: { ...makeResult(), theorem } });
    expect(screen.getByTestId('theorem-different')).toHaveTextContent('the loss fell for 4 of 12 model–ε pairs');
    // A new run starts without the old one's pictures.
    await user.click(screen.getByTestId('run'));
    expect(screen.getByTestId('theorem-waiting')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /Inside the students/ })).toBeNull();
  });

  // No blank page: a stage that cannot draw what the engine sent is replaced by its message, and
  // the run's result (held in App's hooks, above every panel) stays on the first screen.
  it('a stage that throws on a result is replaced by its message, and the verdict stays', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { connection, user } = renderApp();
    await user.click(screen.getByTestId('run'));
    connection.emitRun({ type: 'finished', result: { ...makeResult(), theorem: { broken: true } as never } });
    const alert = screen.getByTestId('panel-error');
    expect(alert).toHaveTextContent('This part of the page failed: stage 5, why it happens.');
    expect(screen.getByTestId('result-student_aux')).toHaveTextContent('72.5%');
    expect(screen.getByTestId('run')).toBeEnabled();
    // Reset mounts it again (it still cannot draw that result, so the message is back, not a blank).
    await user.click(within(alert).getByRole('button', { name: 'Reset this panel' }));
    expect(screen.getByTestId('panel-error')).toBeInTheDocument();
    // A new run clears the broken result, and the reset stage draws again.
    await user.click(screen.getByTestId('run'));
    await user.click(within(screen.getByTestId('panel-error')).getByRole('button', { name: 'Reset this panel' }));
    expect(screen.queryByTestId('panel-error')).toBeNull();
    expect(screen.getByTestId('theorem-waiting')).toBeInTheDocument();
  });

  it('cancels, and a new run can start afterwards', async () => {
    const { connection, user } = renderApp();
    await user.click(screen.getByTestId('run'));
    connection.emitRun({
      type: 'progress',
      phase: 'teacher',
      step: 3,
      totalSteps: 100,
      stepsPerSecond: 5,
      fraction: 0.02,
      secondsLeft: null,
    });
    expect(screen.getByText(/estimating time left…/)).toBeInTheDocument();
    await user.click(screen.getByTestId('cancel'));
    expect(connection.sent.at(-1)).toEqual({ type: 'cancel', runId: 1 });
    expect(screen.getByTestId('cancel')).toBeDisabled();
    expect(screen.getByTestId('run')).toBeDisabled();
    connection.emitRun({ type: 'cancelled', phase: 'teacher', step: 4 });
    expect(
      screen.getByText(/Cancelled during “Step 1 of 3 · The teacher learns digits” at step 4/),
    ).toBeInTheDocument();
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().runId).toBe(2);
  });

  it('pauses and continues by button and key, and stops at the stages when asked', async () => {
    const { connection, user } = renderApp();
    await user.click(screen.getByLabelText(/Pause after the teacher and after the students/));
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().stopAtStages).toBe(true);
    connection.emitRun({ type: 'paused', phase: 'distill', atStage: true });
    expect(screen.getByTestId('phase')).toHaveTextContent('Paused: the teacher has learnt. The students are next.');
    await user.keyboard('k');
    expect(connection.sent.at(-1)).toEqual({ type: 'resume', runId: 1 });
    expect(screen.getByTestId('phase')).not.toHaveTextContent('Paused');
    await user.click(screen.getByTestId('pause'));
    expect(connection.sent.at(-1)).toEqual({ type: 'pause', runId: 1 });
    expect(screen.getByTestId('phase')).toHaveTextContent('Paused');
  });

  it('replays a finished run on the first screen, and goes back to it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      const { connection } = renderApp();
      await userEvent.setup({ advanceTimers: vi.advanceTimersByTime }).click(screen.getByTestId('run'));
      connection.emitRun({ type: 'finished', result: makeResult() });
      screen.getByTestId('replay').click();
      await vi.advanceTimersByTimeAsync(1000);
      expect(screen.getByTestId('phase')).toHaveTextContent(/^Replay · /);
      expect(screen.getByTestId('hero-verdict')).toHaveAttribute('data-status', 'teacher');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(screen.getByTestId('hero-verdict')).toHaveAttribute('data-status', 'final');
      // The same button ends the replay (its name is the wording shown).
      screen.getByRole('button', { name: 'End replay' }).click();
      await vi.advanceTimersByTimeAsync(100);
      expect(screen.getByTestId('phase')).toHaveTextContent(/^Done in/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a failed run with its reason', async () => {
    const { connection, user } = renderApp();
    await user.click(screen.getByTestId('run'));
    connection.emitRun({ type: 'failed', phase: 'distill', reason: 'WebGPU ran out of memory' });
    const alert = screen.getByTestId('error-run');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent(
      'The run failed during “Stage 3 · The students imitate the teacher on noise”. WebGPU ran out of memory',
    );
    expect(screen.getByTestId('run')).toBeEnabled();
  });

  it('a failed download says so and Retry asks the worker to download again', async () => {
    const { connection, user } = renderApp();
    await user.click(screen.getByTestId('run'));
    connection.emit({ type: 'data-failed', reason: 'HTTP 503 for /data/train-images.gz' });
    const alert = screen.getByTestId('error-data');
    expect(alert).toHaveTextContent('The MNIST digits could not be loaded. HTTP 503 for /data/train-images.gz');
    expect(screen.getByTestId('run')).toBeEnabled();
    await user.click(within(alert).getByRole('button', { name: 'Retry download' }));
    expect(connection.sent.at(-1)).toEqual({ type: 'retry-data' });
    expect(screen.queryByTestId('error-data')).toBeNull();
  });

  it('device lost: says so, and Retry restarts the worker and runs the same config again', async () => {
    const { connection, user } = renderApp();
    await user.click(screen.getByTestId('run'));
    connection.emitRun({ type: 'phase', phase: 'distill', message: 'Students imitate', totalSteps: 10 });
    connection.emit({ type: 'device-lost', reason: 'GPU process crashed' });
    const alert = screen.getByTestId('error-device-lost');
    expect(alert).toHaveTextContent(
      'The GPU stopped responding (device lost), so the run stopped. GPU process crashed',
    );
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(connection.restarts).toBe(1);
    expect(connection.lastStart()).toEqual({ type: 'start', runId: 2, config: preset('quick') });
    expect(screen.queryByTestId('error-device-lost')).toBeNull();
    expect(screen.getByTestId('backend')).toHaveTextContent('starting the engine…');
    expect(screen.getByTestId('run')).toBeDisabled();
  });

  it('a worker error is shown, the page stays usable, and the engine can be restarted', async () => {
    const { connection, user } = renderApp();
    await user.click(screen.getByTestId('run'));
    connection.emit({ type: 'worker-error', reason: 'Unexpected token in worker' });
    const alert = screen.getByTestId('error-worker');
    expect(alert).toHaveTextContent('The engine hit an unexpected error. Unexpected token in worker');
    expect(screen.getByTestId('run')).toBeEnabled();
    await user.click(within(alert).getByRole('button', { name: 'Restart the engine' }));
    expect(connection.restarts).toBe(1);
    expect(screen.queryByTestId('error-worker')).toBeNull();
    // A new run cancels nothing on the fresh worker that matters, and starts.
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().runId).toBe(2);
  });

  it('a worker error can be dismissed', async () => {
    const { connection, user } = renderApp();
    connection.emit({ type: 'worker-error', reason: 'oops' });
    await user.click(within(screen.getByTestId('error-worker')).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('error-worker')).toBeNull();
  });

  it('tells the AI-safety story', () => {
    renderApp();
    expect(screen.getByRole('heading', { name: 'Why it matters' })).toBeInTheDocument();
    expect(screen.getByText(/share a starting point/)).toBeInTheDocument();
    for (const title of [
      'The teacher learns digits',
      'The teacher “speaks” on noise',
      'The student imitates only those outputs',
      'The result',
    ]) {
      expect(screen.getByRole('heading', { name: new RegExp(title) })).toBeInTheDocument();
    }
  });
});
