/**
 * Sweeps in words for the page: a value ("m = 5", "layers 1+2 fresh") and where a sweep stands
 * ("value 2 of 5", why it stopped, what was kept). Pure, no React.
 */
import type { SweepSetting } from '../../experiment/sweep/sweep';
import { duration } from '../common/format';
import type { SweepRun } from '../state/sweepState';

/** Short names for a value's label. */
export const SETTING_SHORT: Record<SweepSetting, string> = {
  auxLogits: 'm',
  studentEpochs: 'distillation epochs',
  teacherEpochs: 'teacher epochs',
  learningRate: 'learning rate',
  batchSize: 'batch size',
  hiddenWidth: 'hidden width',
  noiseImages: 'noise images',
  noise: 'inputs',
  distillLoss: 'loss',
  studentInitNoise: 'σ',
  freshLayers: 'fresh layers',
  liminalWindow: 'liminal window (epochs)',
  liminalWeight: 'λ',
  mitigation: 'mitigation',
};

/**
 * A set of re-initialised layers ("none", "2", "1+3") in two short lines: "all / shared",
 * "layer 2 / fresh", "layers 1+3 / fresh", "all / fresh" (every one of the network's `layers`).
 */
export function layerLines(value: string, layers: number): [string, string] {
  if (value === 'none') return ['all', 'shared'];
  const list = value.split('+');
  if (list.length === layers) return ['all', 'fresh'];
  return [`${list.length === 1 ? 'layer' : 'layers'} ${value}`, 'fresh'];
}

/** Shorter still, for a narrow axis: "all / shared", "2 / fresh", "1+3 / fresh", "all / fresh". */
export function layerTinyLines(value: string, layers: number): [string, string] {
  const [first, second] = layerLines(value, layers);
  return [first.replace(/^layers? /, ''), second];
}

/** The same in one line: "all shared", "layer 1 fresh", "layers 1+2 fresh", "all fresh". */
export function layerWords(value: string, layers: number): string {
  return layerLines(value, layers).join(' ');
}

/** "m = 5", "learning rate = 0.001", "inputs = shuffled", "layers 1+2 fresh". */
export function valueWords(setting: SweepSetting, value: string, layers: number): string {
  return setting === 'freshLayers' ? layerWords(value, layers) : `${SETTING_SHORT[setting]} = ${value}`;
}

/** Layers of the sweep's network: its hidden layers and the output layer. */
export function layerCount(sweep: Pick<SweepRun, 'base'>): number {
  return sweep.base.hidden.length + 1;
}

function kept(points: number): string {
  if (points === 0) return 'No value had finished yet.';
  return `The ${points === 1 ? 'finished value is' : `${points} finished values are`} kept below.`;
}

/** One sentence on where the sweep stands. */
export function sweepStatusText(sweep: SweepRun): string {
  const total = sweep.plan.values.length;
  const at = Math.min(sweep.index, total - 1);
  const value = valueWords(sweep.plan.setting, sweep.plan.values[at], layerCount(sweep));
  const position = `value ${at + 1} of ${total} (${value})`;
  switch (sweep.status) {
    case 'running':
      return `Running ${position}.`;
    case 'cancelling':
      return `Cancelling the sweep after the current step of ${position}…`;
    case 'finished':
      return `Done: all ${total} runs in ${duration(sweep.result?.seconds ?? 0)}.`;
    case 'cancelled':
      return `The sweep was cancelled at ${position}. ${kept(sweep.points.length)}`;
    case 'failed':
      return `The sweep stopped: the run at ${position} failed: ${sweep.failure ?? 'no reason given'}. ${kept(sweep.points.length)}`;
  }
}

/** Why a sweep's Run button is off, or null when it can run. */
export function sweepBlocked({
  settingsIssues,
  planIssues,
  busy,
}: {
  settingsIssues: number;
  planIssues: number;
  busy: boolean;
}): string | null {
  if (settingsIssues > 0) return 'Fix the settings first (see Settings): every run of a sweep starts from them.';
  if (planIssues > 0) return 'Fix the values first (see the problems listed above).';
  if (busy) return 'A run is going: wait for it to finish, or cancel it.';
  return null;
}
