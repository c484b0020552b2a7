import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import {
  differingSettings,
  exportFilename,
  settingsSummary,
  toSavedRun,
  whenRan,
} from '../../../src/ui/history/savedRun';
import { initialUiState, reduceUi, type UiAction } from '../../../src/ui/state/runState';
import { makeResult, makeTheorem } from '../../support/ui/fixtures';

const config = preset('tiny');
const start: UiAction = { type: 'start', runId: 1, config };
const finish = (result = makeResult(config)): UiAction => ({
  type: 'message',
  message: { type: 'run', runId: 1, event: { type: 'finished', result } },
});

describe('saved runs as data', () => {
  it('makes a record of a finished run only: config, result, theorem, pictures, backend, time', () => {
    const running = reduceUi(initialUiState, start);
    expect(toSavedRun(null, 1)).toBeNull();
    expect(toSavedRun(running.run, 1)).toBeNull();
    expect(toSavedRun(reduceUi(running, { type: 'cancel' }).run, 1)).toBeNull();
    const result = { ...makeResult(config), backend: 'webgpu', theorem: makeTheorem() };
    const finished = reduceUi(running, finish(result)).run;
    expect(toSavedRun(finished, 42)).toEqual({
      config,
      backend: 'webgpu',
      result,
      theorem: makeTheorem(),
      digits: null,
      noise: null,
      ranAt: 42,
    });
  });

  it('never saves a run shown again from the saved ones', () => {
    const record = toSavedRun(reduceUi(reduceUi(initialUiState, start), finish()).run, 42)!;
    expect(toSavedRun(reduceUi(initialUiState, { type: 'restore', run: record }).run, 43)).toBeNull();
  });

  it('says when a run ran, with the year only when it is not this one', () => {
    const now = new Date(2026, 11, 1);
    expect(whenRan(new Date(2026, 10, 29, 14, 32), 'en-GB', now)).toBe('14:32, 29 Nov');
    expect(whenRan(new Date(2025, 10, 29, 9, 5), 'en-GB', now)).toBe('09:05, 29 Nov 2025');
  });

  it('sums up settings against the nearest preset, and names those two runs do not share', () => {
    expect(settingsSummary(preset('quick'))).toBe('quick');
    expect(settingsSummary({ ...config, models: 2, hidden: [16] })).toBe('tiny · models 2, hidden 16');
    expect(differingSettings(config, config)).toEqual([]);
    expect(differingSettings(config, { ...config, seed: config.seed + 1, hidden: [8, 8] })).toEqual(['hidden', 'seed']);
  });

  it('names the export file after when the run ran', () => {
    expect(exportFilename(new Date(2026, 10, 29, 14, 32).getTime())).toBe('results-2026-11-29-1432.json');
  });
});
