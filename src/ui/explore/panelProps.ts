/** What Explore hands each of its sweep panels (one setting, layers, chains). */
import type { ExperimentConfig } from '../../experiment/config';
import type { SweepPlan } from '../../experiment/sweep/sweep';
import type { Palette } from '../common/palette';
import type { RunState } from '../state/runState';
import type { Settings } from '../state/settings';
import type { SweepPrefill } from '../state/sweepLink';
import type { SweepKind, SweepRun } from '../state/sweepState';

export interface PanelProps {
  settings: Settings;
  /** This panel's latest sweep. */
  sweep: SweepRun | null;
  /** The engine or another sweep is running. */
  busy: boolean;
  /** The engine's run, while this panel's sweep is the one running (else null). */
  run: RunState | null;
  onStart: (kind: SweepKind, base: ExperimentConfig, plan: SweepPlan) => void;
  onCancel: () => void;
  palette: Palette;
  /** What a sweep link filled in for this panel. */
  prefill: SweepPrefill | null;
}
