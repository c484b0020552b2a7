/** The page hears that the engine was restarted after a failed run, says so, and forgets it at the next run. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { ErrorBanner } from '../../../src/ui/hero/ErrorBanner';
import { initialUiState, reduceUi, type UiState } from '../../../src/ui/state/runState';
import type { EngineActions } from '../../../src/ui/state/useEngine';

const REASON = 'the failed run left 4 tensors (4.19 GB held) on wasm';

describe('engine restarted after a failed run', () => {
  it('is kept from the message, shown with its reason, and cleared by the next run', () => {
    let state: UiState = reduceUi(initialUiState, { type: 'start', runId: 1, config: preset('tiny') });
    state = reduceUi(state, {
      type: 'message',
      message: {
        type: 'run',
        runId: 1,
        event: { type: 'failed', phase: 'teacher', reason: 'memory access out of bounds' },
      },
    });
    state = reduceUi(state, { type: 'message', message: { type: 'engine-restarted', reason: REASON } });
    expect(state.engineRestarted).toBe(REASON);
    expect(state.run?.status).toBe('failed');

    const html = renderToStaticMarkup(<ErrorBanner state={state} actions={{} as EngineActions} />);
    expect(html).toContain('memory access out of bounds');
    expect(html).toContain('data-testid="engine-restarted"');
    expect(html).toContain(
      `The engine was restarted</strong> because ${REASON}. The next run starts clean: no need to reload.`,
    );

    state = reduceUi(state, { type: 'start', runId: 2, config: preset('tiny') });
    expect(state.engineRestarted).toBeNull();
    expect(renderToStaticMarkup(<ErrorBanner state={state} actions={{} as EngineActions} />)).toBe('');
  });
});
