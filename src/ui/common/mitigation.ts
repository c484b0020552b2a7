/**
 * A run's mitigation in words ("liminal training, λ = 1, first 0.5 epochs") and, for liminal
 * training, where its window ends on a chart's epoch axis. Pure, no React.
 */
import type { ExperimentConfig, Mitigation } from '../../experiment/config';

type MitigationConfig = Pick<ExperimentConfig, 'mitigation'> &
  Partial<Pick<ExperimentConfig, 'liminalWeight' | 'liminalWindow'>>;

/** Each choice's name, as the settings list it. */
export const MITIGATION_NAMES: Record<Mitigation, string> = {
  none: 'None',
  project: 'Projection',
  liminal: 'Liminal training',
};

const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

/** The run's mitigation in a few words, or null without one (runs from before mitigations have none). */
export function mitigationWords(config: Partial<MitigationConfig> | null | undefined): string | null {
  switch (config?.mitigation) {
    case 'project':
      return 'projection off the trait gradient';
    case 'liminal':
      return `liminal training, λ = ${config.liminalWeight ?? '?'}, first ${epochs(config.liminalWindow ?? 0)}`;
    default:
      return null;
  }
}

/** The epoch where liminal training's penalty ends, within the students' epochs; null when it has none. */
export function liminalWindowEnd(
  config: Partial<MitigationConfig> | null | undefined,
  studentEpochs: number,
): number | null {
  if (config?.mitigation !== 'liminal' || !config.liminalWindow || config.liminalWindow <= 0) return null;
  return Math.min(config.liminalWindow, studentEpochs);
}
