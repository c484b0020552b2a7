/** Validation: every problem of a config, each in words a user can act on, against the field table. */
import { CONFIG_KEYS, FIELDS, type ListField, type NumberField } from './fields';
import type { ExperimentConfig } from './types';

/** One problem with one field, in words a user can act on. */
export interface ConfigIssue {
  field: keyof ExperimentConfig | 'preset';
  message: string;
}

/** A numeric field's allowed values in words: "a whole number from 1 to 1000". */
export function rangeText(spec: NumberField | ListField): string {
  return `${spec.kind === 'number' ? 'a number' : 'a whole number'} from ${spec.min} to ${spec.max}`;
}

function checkNumber(field: keyof ExperimentConfig, value: unknown, spec: NumberField | ListField): ConfigIssue | null {
  const whole = spec.kind !== 'number';
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (whole && !Number.isInteger(value)) ||
    value < spec.min ||
    value > spec.max
  ) {
    return { field, message: `${field} = ${String(value)} is out of range: allowed is ${rangeText(spec)}` };
  }
  return null;
}

/** A list field's problem: its length, an item out of range, or (for a set) an item given twice. */
function checkList(field: keyof ExperimentConfig, value: unknown, spec: ListField): ConfigIssue | null {
  if (!Array.isArray(value) || value.length < spec.minLength || value.length > spec.maxLength) {
    return {
      field,
      message: `${field} = ${String(value)} must list ${spec.minLength} to ${spec.maxLength} ${spec.item}s`,
    };
  }
  const bad = value.map((v) => checkNumber(field, v, spec)).find((issue) => issue !== null);
  if (bad)
    return {
      field,
      message: `${field} = ${value.join(',')}: each ${spec.item} must be ${rangeText(spec)}`,
    };
  if (spec.unique && new Set(value).size !== value.length) {
    return {
      field,
      message: `${field} = ${value.join(',')} names a ${spec.item} twice: list each ${spec.item} once`,
    };
  }
  return null;
}

function checkField(config: ExperimentConfig, field: keyof ExperimentConfig): ConfigIssue | null {
  const spec = FIELDS[field];
  const value = config[field] as unknown;
  if (spec.kind === 'choice') {
    if (typeof value !== 'string' || !spec.values.includes(value)) {
      return {
        field,
        message: `${field} = ${String(value)} is not allowed: choose one of ${spec.values.join(', ')}`,
      };
    }
    return null;
  }
  if (spec.kind === 'intList') return checkList(field, value, spec);
  return checkNumber(field, value, spec);
}

/** Every problem of a config, empty when it is valid. */
export function validateConfig(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const field of CONFIG_KEYS) {
    const issue = checkField(config, field);
    if (issue) issues.push(issue);
  }
  // The cross-field rules, once every field is valid on its own.
  const layers = Array.isArray(config.hidden) ? config.hidden.length + 1 : 0;
  if (issues.length === 0 && config.freshLayers.some((layer) => layer > layers)) {
    issues.push({
      field: 'freshLayers',
      message: `freshLayers = ${config.freshLayers.join(',')}: the network has layers 1 to ${layers}`,
    });
  }
  if (issues.length === 0 && config.batchSize > Math.max(config.trainImages, config.noiseImages)) {
    issues.push({
      field: 'batchSize',
      message: `batchSize = ${config.batchSize} is larger than both trainImages (${config.trainImages}) and noiseImages (${config.noiseImages})`,
    });
  }
  return issues;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((issue) => issue.message).join('; '));
    this.name = 'ConfigError';
  }
}

export function assertValidConfig(config: ExperimentConfig): void {
  const issues = validateConfig(config);
  if (issues.length > 0) throw new ConfigError(issues);
}
