/** Reading drawn digits in the engine worker: which weights are held, when they go to the page, the guesses. */
import { describe, expect, it } from 'vitest';
import { INPUT_SIZE } from '../../src/experiment/config';
import type { ModelWeights } from '../../src/experiment/results';
import { Drawing } from '../../src/worker/drawing';
import type { FromWorker } from '../../src/worker/protocol';

/** A one-layer model that reads every input as `digit` (its bias), whatever is drawn. */
function alwaysReads(digit: number): ModelWeights {
  const biases = new Float32Array(13);
  biases[digit] = 10;
  return { sizes: [INPUT_SIZE, 13], weights: [new Float32Array(INPUT_SIZE * 13)], biases: [biases] };
}

const INK = Array.from({ length: INPUT_SIZE }, () => 1);

function drawing() {
  const posted: FromWorker[] = [];
  // Copied when posted, as postMessage copies.
  return { posted, draw: new Drawing((message) => posted.push(structuredClone(message))) };
}

const evaluated = { type: 'evaluated', result: {} } as never;
const finished = { type: 'finished', result: {} } as never;

describe('the drawing module', () => {
  it('announces the models it holds, and a new run replaces the last run whole', () => {
    const { posted, draw } = drawing();
    draw.keep(1, { teacher: alwaysReads(3) });
    draw.keep(1, { student_aux: alwaysReads(7) });
    draw.keep(2, { cross_aux: alwaysReads(1) });
    expect(posted).toEqual([
      { type: 'models-ready', runId: 1, models: ['teacher'] },
      { type: 'models-ready', runId: 1, models: ['teacher', 'student_aux'] },
      { type: 'models-ready', runId: 2, models: ['cross_aux'] },
    ]);
  });

  it('reads a drawing with every model held, and nothing from a drawing that is not 784 pixels', () => {
    const { posted, draw } = drawing();
    draw.keep(1, { teacher: alwaysReads(3), student_aux: alwaysReads(7) });
    draw.classify(5, INK);
    draw.classify(6, INK.slice(1));
    const [, guessed, none] = posted;
    expect(guessed.type === 'guesses' && guessed.requestId).toBe(5);
    if (guessed.type !== 'guesses') return;
    expect(Object.keys(guessed.guesses)).toEqual(['teacher', 'student_aux']);
    expect(guessed.guesses.teacher?.digit).toBe(3);
    expect(guessed.guesses.student_aux?.digit).toBe(7);
    expect(guessed.guesses.teacher?.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(none).toEqual({ type: 'guesses', requestId: 6, guesses: {} });
  });

  it("hands the weights over once, before the run's first of 'evaluated' and 'finished', and again for a sweep's next value", () => {
    const { posted, draw } = drawing();
    const weights = { teacher: alwaysReads(2) };
    draw.keep(1, weights);
    draw.handOver(1, { type: 'progress' } as never);
    draw.handOver(2, evaluated); // another run's end: not this run's weights
    draw.handOver(1, evaluated);
    draw.handOver(1, finished);
    draw.keep(1, { teacher: alwaysReads(4) });
    draw.handOver(1, finished);
    const handed = posted.filter((message) => message.type === 'final-weights');
    expect(handed).toHaveLength(2);
    expect(handed[0]).toMatchObject({ runId: 1, weights: { teacher: { biases: [alwaysReads(2).biases[0]] } } });
    expect(handed[1]).toMatchObject({ runId: 1, weights: { teacher: { biases: [alwaysReads(4).biases[0]] } } });
  });

  it("a saved run's weights read drawings from then on; a record without weights leaves none", () => {
    const { posted, draw } = drawing();
    draw.keep(1, { teacher: alwaysReads(3) });
    draw.show(9, { cross_aux: alwaysReads(8) });
    draw.classify(1, INK);
    draw.show(10, null);
    draw.classify(2, INK);
    expect(posted.slice(1)).toMatchObject([
      { type: 'models-ready', runId: 9, models: ['cross_aux'] },
      { type: 'guesses', requestId: 1, guesses: { cross_aux: { digit: 8 } } },
      { type: 'models-ready', runId: 10, models: [] },
      { type: 'guesses', requestId: 2, guesses: {} },
    ]);
  });
});
