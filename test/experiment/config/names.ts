/** Names the config tests share: the presets, and every field written out by hand. */
import type { ExperimentConfig, PresetName } from '../../../src/experiment/config';

export const PRESET_NAMES: PresetName[] = ['paper', 'quick', 'tiny'];

/** Every field of ExperimentConfig, written out by hand so a field missing from FIELDS is noticed. */
export const ALL_FIELDS: (keyof ExperimentConfig)[] = [
  'models',
  'auxLogits',
  'hidden',
  'teacherEpochs',
  'trainImages',
  'trait',
  'studentEpochs',
  'noiseImages',
  'noise',
  'distillLoss',
  'mitigation',
  'liminalWeight',
  'liminalWindow',
  'studentInitNoise',
  'freshLayers',
  'generations',
  'learningRate',
  'batchSize',
  'seed',
  'curvePoints',
  'curveSpacing',
  'curveTestImages',
];
