/**
 * Everything that keeps Run off: the settings' own problems (bad or refused values), and a config
 * that cannot fit even one model on the engine's backend (fit.ts, the same check the engine worker
 * and the command line make). Before the worker names its backend, wasm's limits are assumed: the
 * fallback every browser has.
 */
import type { ConfigIssue } from '../../experiment/config';
import { WASM_LIMITS, type DeviceLimits } from '../../experiment/schedule/chunks';
import { fitIssues } from '../../experiment/schedule/fit';
import type { Settings } from './settings';

export function runIssues(settings: Settings, limits: DeviceLimits | undefined): ConfigIssue[] {
  if (settings.issues.length > 0) return settings.issues;
  // The page always measures why the trait travels (the alignment probes), as the worker does.
  return fitIssues(settings.config, limits ?? WASM_LIMITS, { alignment: true });
}
