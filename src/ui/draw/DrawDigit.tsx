/**
 * Try it yourself: draw a digit, and the teacher and both aux-only students of model 0 read it.
 * The drawing is made into an MNIST digit here (preprocess.ts); the engine worker reads it with
 * the models as they stand, during a run and after it, and reads it again whenever they change. A
 * saved run shown again reads with the weights it kept (useEngine hands them to the worker).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { scalePixels } from '../../data/mnist';
import { DigitCanvas } from '../common/DigitCanvas';
import { isActive, type UiState } from '../state/runState';
import type { EngineActions } from '../state/useEngine';
import { DrawGuesses } from './DrawGuesses';
import { DrawPad } from './DrawPad';
import { isBlank, preprocess, type InkGrid } from './preprocess';
import './draw.css';

export interface DrawDigitProps {
  engine: UiState;
  actions: Pick<EngineActions, 'classify'>;
  /** The student the page features (the init switch): its guess is highlighted. */
  featured: 'student_aux' | 'cross_aux';
}

export function DrawDigit({ engine, actions, featured }: DrawDigitProps) {
  const { models, version, guesses, runId } = engine.draw;
  const [pixels, setPixels] = useState<number[] | null>(null);
  const pixelsRef = useRef<number[] | null>(null);
  // A saved run shown again reads with its own kept weights, once the worker has them (or says it has none).
  const restored = engine.run?.restoredFrom !== undefined;
  const heard = runId === engine.run?.runId;
  const ready = models.length > 0 && (!restored || heard);
  const { classify } = actions;

  const onInk = useCallback(
    (grid: InkGrid | null, _done: boolean) => {
      const next = grid && !isBlank(grid) ? preprocess(grid) : null;
      pixelsRef.current = next;
      setPixels(next);
      if (next && ready) classify(next);
    },
    [classify, ready],
  );

  // Without a pointer (keyboard, switch access): one of the run's test digits instead of a drawing.
  const [padKey, setPadKey] = useState(0);
  const [sample, setSample] = useState(0);
  const digits = engine.run?.digits ?? null;
  const useTestDigit = () => {
    if (!digits) return;
    const index = sample % digits.images.length;
    setSample(index + 1);
    setPadKey((key) => key + 1); // a fresh, empty pad: the preview shows what is read
    const next = Array.from(scalePixels(Uint8Array.from(digits.images[index]!)));
    pixelsRef.current = next;
    setPixels(next);
    if (ready) classify(next);
  };

  // New weights (the run's curves moved on, or a new run began): read the drawing again.
  useEffect(() => {
    if (version > 0 && pixelsRef.current) classify(pixelsRef.current);
  }, [version, classify]);

  const live = ready && isActive(engine.run);
  return (
    <section className="draw" aria-labelledby="draw-title">
      <h2 id="draw-title">Try it yourself: draw a digit</h2>
      <p className="draw-lede">
        The students never saw a digit: they only imitated the teacher's extra outputs on noise. Draw one and see who
        can read it.
      </p>
      <div className="draw-body">
        <div className="draw-pad-column">
          <DrawPad key={padKey} onInk={onInk} />
          <button
            type="button"
            className="secondary"
            data-testid="draw-test-digit"
            disabled={!digits}
            onClick={useTestDigit}
          >
            Use a test digit instead
          </button>
        </div>
        <div className="draw-side">
          <DrawGuesses
            models={models}
            guesses={guesses?.guesses ?? null}
            drawing={pixels !== null}
            featured={featured}
          />
          <p className="draw-status" data-testid="draw-status">
            {drawStatus({ ready, live, restored, heard })}
          </p>
          <DrawPreview pixels={pixels} />
        </div>
      </div>
    </section>
  );
}

/** The drawing made into an MNIST digit: what the models read. */
function DrawPreview({ pixels }: { pixels: number[] | null }) {
  return (
    <figure className="draw-preview">
      <DigitCanvas
        pixels={pixels}
        range="signed"
        label="Your drawing as the models see it: a 28 × 28 MNIST-style digit"
      />
      <figcaption>What the models see: 28 × 28, centred as MNIST is</figcaption>
    </figure>
  );
}

/** What the pad can do now, in one sentence. */
function drawStatus({
  ready,
  live,
  restored,
  heard,
}: Record<'ready' | 'live' | 'restored' | 'heard', boolean>): string {
  if (restored && !ready)
    return heard
      ? 'This saved run kept no weights: run again to draw.'
      : "Getting this saved run's models ready to read your digit…";
  if (!ready) return 'Press Run first: the models learn in seconds, then read your digit.';
  if (live) return 'Live: the models are still learning, and read your digit again as they do.';
  return restored
    ? 'Read by the models of this saved run, as they were when it finished.'
    : 'Read by the models of the last run.';
}
