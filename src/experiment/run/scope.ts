/**
 * What a run holds and where it stands: the things to free when it ends (finished, failed or
 * cancelled), the phase a failure or cancel is reported in, and the curve points so far.
 */
import type { CurvePoint, DrawModel, ModelWeights, TrainingPhase } from '../results';
import type { Phase, RunEvent } from '../events';

interface Disposable {
  dispose(): void;
}

export class RunScope {
  phase: Phase = 'prepare';
  readonly curves: Record<TrainingPhase, CurvePoint[]> = { teacher: [], distill: [] };
  private readonly owned: Disposable[] = [];

  /** Frees `thing` when the run ends; returns it. */
  own<T extends Disposable>(thing: T): T {
    this.owned.push(thing);
    return thing;
  }

  /**
   * Frees everything owned, newest first: a thing may lean on what was made before it. Freeing a
   * thing that was already freed (a chain's replaced students) does nothing.
   */
  dispose(): void {
    for (const thing of this.owned.splice(0).reverse()) thing.dispose();
  }

  /** Enters a phase that is not a training loop's (those announce themselves): its event. */
  enter(phase: Phase, message: string, totalSteps: number): RunEvent {
    this.phase = phase;
    return { type: 'phase', phase, message, totalSteps };
  }

  /**
   * Passes a phase's events on, remembering its phase and curve points; after each curve point,
   * model 0's weights of `drawModels` (when this run holds model 0), for the page's drawing pad.
   */
  async *follow(
    events: AsyncGenerator<RunEvent, void, void>,
    drawModels?: () => Promise<Partial<Record<DrawModel, ModelWeights>>>,
  ): AsyncGenerator<RunEvent, void, void> {
    for await (const event of events) {
      if (event.type === 'phase') this.phase = event.phase;
      if (event.type === 'metrics') this.curves[event.phase].push(event.point);
      yield event;
      if (event.type === 'metrics' && drawModels)
        yield { type: 'weights', phase: event.phase, weights: await drawModels() };
    }
  }
}
