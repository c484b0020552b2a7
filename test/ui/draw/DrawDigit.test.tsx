// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Guess } from '../../../src/experiment/reference/forward';
import { DrawDigit } from '../../../src/ui/draw/DrawDigit';
import { READ_EVERY_MS } from '../../../src/ui/draw/DrawPad';
import { useEngine } from '../../../src/ui/state/useEngine';
import type { ToWorker } from '../../../src/worker/protocol';
import { FakeConnection } from '../../support/ui/fixtures';
import { preset } from '../../../src/experiment/config';

function Harness({
  connection,
  featured = 'student_aux',
}: {
  connection: FakeConnection;
  featured?: 'student_aux' | 'cross_aux';
}) {
  const [engine, actions] = useEngine(connection);
  return <DrawDigit engine={engine} actions={actions} featured={featured} />;
}

type Classify = Extract<ToWorker, { type: 'classify' }>;
const classifies = (connection: FakeConnection) => connection.sent.filter((m): m is Classify => m.type === 'classify');

/** A stroke with the mouse: down, a few moves, up (jsdom lays nothing out, so client = pad pixels). */
function drawStroke(points: [number, number][]) {
  const pad = screen.getByTestId('draw-pad');
  const at = ([clientX, clientY]: [number, number]) => ({
    pointerId: 1,
    pointerType: 'mouse',
    button: 0,
    clientX,
    clientY,
  });
  fireEvent.pointerDown(pad, at(points[0]));
  for (const point of points.slice(1)) fireEvent.pointerMove(pad, at(point));
  fireEvent.pointerUp(pad, at(points.at(-1)!));
}

const SEVEN: [number, number][] = [
  [70, 60],
  [210, 60],
  [150, 150],
  [120, 230],
];

/** A reading whose top guess is `digit` at `probability`, the rest shared out over the other nine unevenly. */
function guess(digit: number, probability: number): Guess {
  const weights = Array.from({ length: 10 }, (_, d) => (d === digit ? 0 : d + 1));
  const total = weights.reduce((a, w) => a + w, 0);
  const probabilities = weights.map((w, d) => (d === digit ? probability : ((1 - probability) * w) / total));
  return { digit, probability, probabilities };
}

/** The ten bars of one model as the page shows them: [digit, probability or null]. */
const bars = (name: string) =>
  Array.from(screen.getByTestId(`draw-bars-${name}`).children).map((bar) => [
    Number(bar.getAttribute('data-digit')),
    bar.hasAttribute('data-p') ? Number(bar.getAttribute('data-p')) : null,
  ]);

describe('draw a digit', () => {
  it('before any run: says to press Run, and sends nothing', () => {
    const connection = new FakeConnection();
    render(<Harness connection={connection} />);
    expect(screen.getByTestId('draw-status')).toHaveTextContent('Press Run first');
    expect(screen.getByTestId('draw-guess-teacher')).toHaveTextContent('Not trained yet');
    expect(screen.getByRole('img', { name: /Drawing pad/ })).toBe(screen.getByTestId('draw-pad'));
    drawStroke(SEVEN);
    expect(classifies(connection)).toHaveLength(0);
  });

  it('sends the stroke as 784 MNIST-like pixels and shows the three guesses from the reply', () => {
    const connection = new FakeConnection();
    render(<Harness connection={connection} />);
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher', 'student_aux', 'cross_aux'] });
    for (const name of ['teacher', 'student_aux', 'cross_aux'])
      expect(screen.getByTestId(`draw-guess-${name}`)).toHaveTextContent('Draw a digit');

    drawStroke(SEVEN);
    const sent = classifies(connection);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    const { pixels, requestId } = sent.at(-1)!;
    expect(pixels).toHaveLength(784);
    expect(pixels.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(pixels.filter((v) => v > 0).length).toBeGreaterThan(20);
    expect(screen.getByTestId('draw-guess-teacher')).toHaveTextContent('Reading…');

    connection.emit({
      type: 'guesses',
      requestId,
      guesses: { teacher: guess(7, 0.934), student_aux: guess(7, 0.61), cross_aux: guess(3, 0.18) },
    });
    expect(screen.getByTestId('draw-guess-teacher')).toHaveTextContent(/Teacher.*7.*93% sure/);
    expect(screen.getByTestId('draw-guess-student_aux')).toHaveTextContent(/Same-start student.*7.*61% sure/);
    expect(screen.getByTestId('draw-guess-cross_aux')).toHaveTextContent(/Different-start student.*3.*18% sure/);
    expect(screen.getByTestId('draw-guess-student_aux')).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('draw-guess-cross_aux')).not.toHaveAttribute('aria-current');
  });

  it('shows all ten probabilities of each model as bars, the top guess marked, empty before a reading', () => {
    const connection = new FakeConnection();
    render(<Harness connection={connection} />);
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher', 'student_aux', 'cross_aux'] });
    const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    for (const name of ['teacher', 'student_aux', 'cross_aux'])
      expect(bars(name)).toEqual(digits.map((d) => [d, null]));

    drawStroke(SEVEN);
    const readings = { teacher: guess(7, 0.934), student_aux: guess(1, 0.4), cross_aux: guess(3, 0.18) };
    connection.emit({ type: 'guesses', requestId: classifies(connection).at(-1)!.requestId, guesses: readings });
    for (const [name, reading] of Object.entries(readings)) {
      expect(bars(name)).toEqual(digits.map((d) => [d, reading.probabilities[d]]));
      const list = screen.getByTestId(`draw-bars-${name}`);
      const top = list.querySelectorAll('.draw-bar-top');
      expect(top).toHaveLength(1);
      expect(top[0]).toHaveAttribute('data-digit', String(reading.digit));
      // The bar's height is its probability.
      const fill = top[0].querySelector<HTMLElement>('.draw-bar-fill')!;
      expect(parseFloat(fill.style.height)).toBeCloseTo(reading.probability * 100, 1);
    }
    expect(screen.getByRole('list', { name: /Different-start student: how sure/ })).toHaveTextContent('3: 18%');
  });

  it('reads the drawing while the stroke goes on, not only when the pen lifts', () => {
    const connection = new FakeConnection();
    render(<Harness connection={connection} />);
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher', 'student_aux', 'cross_aux'] });
    // The pad reads at most every READ_EVERY_MS: let that much time pass between two moves.
    let now = 1000;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    const pad = screen.getByTestId('draw-pad');
    const at = (clientX: number, clientY: number) => ({
      pointerId: 1,
      pointerType: 'mouse',
      button: 0,
      clientX,
      clientY,
    });
    fireEvent.pointerDown(pad, at(140, 40));
    fireEvent.pointerMove(pad, at(140, 100));
    expect(classifies(connection)).toHaveLength(0);
    now += READ_EVERY_MS;
    fireEvent.pointerMove(pad, at(140, 160));
    expect(classifies(connection)).toHaveLength(1);
    now += READ_EVERY_MS;
    fireEvent.pointerMove(pad, at(140, 240));
    expect(classifies(connection)).toHaveLength(2);
    const [first, second] = classifies(connection).map((m) => m.pixels.filter((v) => v > 0).length);
    expect(second).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(0);
    fireEvent.pointerUp(pad, at(140, 240));
    expect(classifies(connection)).toHaveLength(3);
    clock.mockRestore();
  });

  it('reads the drawing again when the models change, says which are not trained yet, and forgets it on Clear', () => {
    const connection = new FakeConnection();
    render(<Harness connection={connection} featured="cross_aux" />);
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher'] });
    drawStroke(SEVEN);
    const first = classifies(connection);
    expect(first.length).toBeGreaterThanOrEqual(1);
    connection.emit({ type: 'guesses', requestId: first.at(-1)!.requestId, guesses: { teacher: guess(7, 0.5) } });
    expect(screen.getByTestId('draw-guess-student_aux')).toHaveTextContent('Learns after the teacher');
    expect(screen.getByTestId('draw-guess-cross_aux')).toHaveAttribute('aria-current', 'true');

    // The students' first weights arrive: the same drawing is read again, unprompted.
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher', 'student_aux', 'cross_aux'] });
    const again = classifies(connection);
    expect(again).toHaveLength(first.length + 1);
    expect(again.at(-1)!.pixels).toEqual(first.at(-1)!.pixels);
    expect(again.at(-1)!.requestId).toBeGreaterThan(first.at(-1)!.requestId);

    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    for (const name of ['teacher', 'student_aux', 'cross_aux'])
      expect(screen.getByTestId(`draw-guess-${name}`)).toHaveTextContent('Draw a digit');
    // A blank pad is not sent, not even when the models change.
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher', 'student_aux', 'cross_aux'] });
    expect(classifies(connection)).toHaveLength(again.length);
  });

  it('a second finger on the pad does not start another stroke, and a right click draws nothing', () => {
    const connection = new FakeConnection();
    render(<Harness connection={connection} />);
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher'] });
    const pad = screen.getByTestId('draw-pad');
    fireEvent.pointerDown(pad, { pointerId: 5, pointerType: 'mouse', button: 2, clientX: 100, clientY: 100 });
    fireEvent.pointerUp(pad, { pointerId: 5, pointerType: 'mouse', button: 2, clientX: 100, clientY: 100 });
    expect(classifies(connection)).toHaveLength(0);

    fireEvent.pointerDown(pad, { pointerId: 1, pointerType: 'touch', clientX: 140, clientY: 40 });
    fireEvent.pointerDown(pad, { pointerId: 2, pointerType: 'touch', clientX: 20, clientY: 20 });
    fireEvent.pointerUp(pad, { pointerId: 2, pointerType: 'touch', clientX: 20, clientY: 20 });
    expect(classifies(connection)).toHaveLength(0);
    fireEvent.pointerMove(pad, { pointerId: 1, pointerType: 'touch', clientX: 140, clientY: 240 });
    fireEvent.pointerUp(pad, { pointerId: 1, pointerType: 'touch', clientX: 140, clientY: 240 });
    const sent = classifies(connection);
    expect(sent).toHaveLength(1);
    // One vertical stroke: a thin "1", centred.
    const columns = new Set(sent[0].pixels.flatMap((v, i) => (v > -1 ? [i % 28] : [])));
    expect(columns.size).toBeLessThanOrEqual(5);
    expect(Math.min(...columns)).toBeGreaterThanOrEqual(11);
  });

  it('without a pointer, "Use a test digit instead" reads the run\'s own test digits one after another', () => {
    const connection = new FakeConnection();
    function Page() {
      const [engine, actions] = useEngine(connection);
      return (
        <>
          <button type="button" data-testid="start" onClick={() => actions.start(preset('tiny'))} />
          <DrawDigit engine={engine} actions={actions} featured="student_aux" />
        </>
      );
    }
    render(<Page />);
    const button = screen.getByTestId('draw-test-digit');
    expect(button).toBeDisabled();
    fireEvent.click(screen.getByTestId('start'));
    const images = [0, 1].map((i) => Array.from({ length: 784 }, (_, p) => (p % 7 === i ? 255 : 0)));
    connection.emitRun({ type: 'digits', images, labels: [7, 2] });
    connection.emit({ type: 'models-ready', runId: 1, models: ['teacher', 'student_aux', 'cross_aux'] });
    expect(button).toBeEnabled();
    fireEvent.click(button);
    fireEvent.click(button);
    fireEvent.click(button);
    const sent = classifies(connection).map((m) => m.pixels);
    expect(sent).toHaveLength(3);
    // MNIST bytes scaled as the engine scales them: 0 → -1, 255 → 1; the third click wraps round to the first digit.
    expect(sent[0]).toEqual(images[0]!.map((v) => (v === 255 ? 1 : -1)));
    expect(sent[1]).toEqual(images[1]!.map((v) => (v === 255 ? 1 : -1)));
    expect(sent[2]).toEqual(sent[0]);
  });
});
