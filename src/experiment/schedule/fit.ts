/**
 * Fit before you run: a config whose single model (its teacher, four students, their Adam state,
 * activations and probes) cannot fit the backend at all is refused before anything trains, with
 * the fields to change and the limit it hit. (A run that fits one model but not all is cut into
 * chunks by chunks.ts; only "not even one" is refused.) Pure: the page's form can call it too.
 */
import type { ConfigIssue, ExperimentConfig } from '../config';
import { estimateMemory, type DeviceLimits, type MeasureOptions } from './chunks';

/** "4.19 GB": decimal units, as the memory of a device is usually quoted. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

/** The fields that set one model's size, as a user wrote them. */
function sizeFields(config: ExperimentConfig): string {
  return `hidden = ${config.hidden.join(',')} with batchSize = ${config.batchSize}`;
}

/**
 * Every reason `config` cannot run even one model per chunk within `limits`; empty when it fits.
 * The issue names `hidden` when the parameters take most of the memory, else `batchSize`.
 */
export function fitIssues(config: ExperimentConfig, limits: DeviceLimits, measure: MeasureOptions = {}): ConfigIssue[] {
  const estimate = estimateMemory(config, measure);
  const issues: ConfigIssue[] = [];
  const field = estimate.parameterBytes >= estimate.activationBytes ? 'hidden' : 'batchSize';
  const source = limits.source ?? 'this backend';
  const advice = 'use narrower or fewer hidden layers, or a smaller batchSize';
  const largest = limits.mode === 'per-model' ? estimate.largestPerRowBytes : estimate.largestPerModelBytes;
  if (limits.hardBufferBytes !== undefined && largest > limits.hardBufferBytes) {
    issues.push({
      field,
      message:
        `${sizeFields(config)} needs one tensor of ${formatBytes(largest)} for a single model, ` +
        `more than the largest buffer ${source} allows (${formatBytes(limits.hardBufferBytes)}): ${advice}`,
    });
  }
  const slack = limits.allocatorSlack ?? 1;
  const oneModel = (estimate.fixedBytes + estimate.perModelBytes) * slack;
  if (limits.capacityBytes !== undefined && oneModel > limits.capacityBytes) {
    issues.push({
      field,
      message:
        `${sizeFields(config)} needs about ${formatBytes(oneModel)} for a single model (its teacher, four students ` +
        `with Adam state, activations${measure.alignment ? ', alignment probes' : ''}${config.mitigation !== 'none' ? ', the mitigation' : ''}` +
        `${slack > 1 ? ", and the allocator's slack" : ''}), ` +
        `more than ${source} can hold (${formatBytes(limits.capacityBytes)}): ${advice}`,
    });
  }
  return issues;
}
