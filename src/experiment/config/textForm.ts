/**
 * A whole config as key/value text, shared by URLs and command-line flags: read against a preset,
 * and written as the entries that differ from it.
 */
import { CONFIG_KEYS, FIELDS } from './fields';
import { asTyped, formatField, parseField, quoted } from './fieldText';
import { isPresetName, preset, PRESETS } from './presets';
import type { ExperimentConfig, PresetName } from './types';
import { validateConfig, type ConfigIssue } from './validate';

/** Query keys the page reads that are not settings: a forced backend list, the benchmark mode, a sweep. */
export const PAGE_KEYS: readonly string[] = ['backend', 'bench', 'sweep', 'present'];

/** Keys given more than once, each with its issue. */
function repeatedKeys(list: readonly [string, string][]): { repeated: Set<string>; issues: ConfigIssue[] } {
  // A key given twice is ambiguous (which one did the link's author mean?): named, and neither is used.
  const counts = new Map<string, string[]>();
  for (const [key, text] of list) counts.set(key, [...(counts.get(key) ?? []), text]);
  const repeated = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const [key, texts] of counts) {
    if (texts.length < 2 || PAGE_KEYS.includes(key) || (key !== 'preset' && !Object.hasOwn(FIELDS, key))) continue;
    repeated.add(key);
    const field = key === 'preset' ? 'preset' : (key as keyof ExperimentConfig);
    issues.push({
      field,
      message: `${key} is given ${texts.length} times (${texts.map(quoted).join(', ')}): give it once`,
    });
  }
  return { repeated, issues };
}

/** The first few unknown keys each named, the rest counted, so a link with a thousand of them gets four lines. */
function unknownKeyIssues(unknown: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = unknown.slice(0, 3).map((key) => ({
    field: 'preset',
    message: `${quoted(key)} is not a setting: known settings are ${CONFIG_KEYS.join(', ')}`,
  }));
  if (unknown.length > 3)
    issues.push({ field: 'preset', message: `${unknown.length - 3} more keys are not settings either` });
  return issues;
}

/**
 * Reads a config from key/value text (a URL's query, command-line flags): start from the named
 * preset (or `paper`), apply each known key, report unknown keys and bad values. The returned
 * config keeps the preset's value for any field that was refused.
 */
export function configFromEntries(entries: Iterable<[string, string]>): {
  config: ExperimentConfig;
  preset: PresetName;
  issues: ConfigIssue[];
} {
  const list = [...entries];
  const { repeated, issues } = repeatedKeys(list);
  const presetText = repeated.has('preset') ? undefined : list.find(([key]) => key === 'preset')?.[1];
  let presetName: PresetName = 'paper';
  if (presetText !== undefined) {
    if (isPresetName(presetText)) presetName = presetText;
    else
      issues.push({
        field: 'preset',
        message: `preset = ${quoted(presetText)} is unknown: choose one of ${Object.keys(PRESETS).join(', ')}`,
      });
  }
  const base = preset(presetName);
  const config: ExperimentConfig = { ...base };
  const unknown: string[] = [];
  for (const [key, text] of list) {
    if (key === 'preset' || PAGE_KEYS.includes(key) || repeated.has(key)) continue;
    if (!Object.hasOwn(FIELDS, key)) {
      unknown.push(key);
      continue;
    }
    const field = key as keyof ExperimentConfig;
    const parsed = parseField(field, text);
    if (parsed.issue) {
      issues.push(parsed.issue);
      continue;
    }
    const candidate = { ...config, [field]: parsed.value } as ExperimentConfig;
    const fieldIssues = validateConfig(candidate)
      .filter((issue) => issue.field === field)
      .map((issue) => asTyped(issue, parsed.value, text));
    if (fieldIssues.length > 0) issues.push(...fieldIssues);
    else Object.assign(config, { [field]: parsed.value });
  }
  issues.push(...unknownKeyIssues(unknown));
  issues.push(...validateConfig(config).filter((issue) => !issues.some((known) => known.field === issue.field)));
  return { config, preset: presetName, issues };
}

/** The entries that differ from the preset, so a shared link stays short. */
export function configToEntries(config: ExperimentConfig, presetName: PresetName): [string, string][] {
  const base = preset(presetName);
  const entries: [string, string][] = [['preset', presetName]];
  for (const field of CONFIG_KEYS) {
    const text = formatField(config, field);
    if (text !== formatField(base, field)) entries.push([field, text]);
  }
  return entries;
}

export function configToQuery(config: ExperimentConfig, presetName: PresetName): string {
  return new URLSearchParams(configToEntries(config, presetName)).toString();
}

export function configFromQuery(query: string): ReturnType<typeof configFromEntries> {
  return configFromEntries(new URLSearchParams(query).entries());
}
