/**
 * The one typed configuration of an experiment, its presets, validation and its text form
 * (URL query, command-line flags): the folder's public face, so users import from '…/config'.
 * The `paper` preset is the authors' recipe, field for field.
 */
export type {
  CurveSpacing,
  DistillInputKind,
  DistillLoss,
  ExperimentConfig,
  Mitigation,
  NoiseKind,
  PresetName,
  TraitName,
} from './types';
export { ADAM, CLASS_COUNT, INPUT_SIZE, TEST_SET_SIZE, TRAIN_SET_SIZE } from './constants';
export { isPresetName, preset, PRESETS } from './presets';
export { CONFIG_KEYS, FIELD_ALIASES, FIELDS, kebab } from './fields';
export { assertValidConfig, ConfigError, validateConfig, type ConfigIssue } from './validate';
export { formatField, quoted } from './fieldText';
export { configFromEntries, configFromQuery, configToEntries, configToQuery, PAGE_KEYS } from './textForm';
