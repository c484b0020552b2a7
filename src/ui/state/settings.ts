/**
 * The settings form as plain data: the text in each field (a draft), the preset it started from,
 * and what that text means as a config. Parsing and validation are config.ts's, so the page, the
 * URL and the command line refuse the same values with the same words.
 */
import {
  CONFIG_KEYS,
  configFromEntries,
  configFromQuery,
  configToQuery,
  formatField,
  preset,
  type ConfigIssue,
  type ExperimentConfig,
  type PresetName,
} from '../../experiment/config';

export type Drafts = Record<keyof ExperimentConfig, string>;

/** The preset the page starts from when the link names none: a result within a minute or two. */
export const DEFAULT_PRESET: PresetName = 'quick';

export interface Settings {
  /** The preset the settings started from; the URL records the differences from it. */
  base: PresetName;
  /** The text of every field, as the user typed it. */
  drafts: Drafts;
  /** The last valid config (what Run runs when there are no issues). */
  config: ExperimentConfig;
  /** Problems with the drafts, one per refused field; empty when the drafts are valid. */
  issues: ConfigIssue[];
  /** Problems with the link the page was opened with; shown until dismissed. */
  linkIssues: ConfigIssue[];
}

export function draftsFromConfig(config: ExperimentConfig): Drafts {
  return Object.fromEntries(CONFIG_KEYS.map((key) => [key, formatField(config, key)])) as Drafts;
}

/** Reads the drafts as config.ts reads a query: the config (refused fields keep the preset's value) and the issues. */
export function readDrafts(base: PresetName, drafts: Drafts): { config: ExperimentConfig; issues: ConfigIssue[] } {
  const { config, issues } = configFromEntries([['preset', base], ...CONFIG_KEYS.map((key): [string, string] => [key, drafts[key]])]);
  return { config, issues };
}

/** Settings from a URL query. A query without a preset starts from DEFAULT_PRESET. */
export function settingsFromQuery(query: string): Settings {
  const params = new URLSearchParams(query);
  // A sweep link's sweep is the Explore section's (sweepLink.ts), not a setting.
  params.delete('sweep');
  if (!params.has('preset')) params.set('preset', DEFAULT_PRESET);
  const { config, preset: base, issues } = configFromQuery(params.toString());
  return { base, drafts: draftsFromConfig(config), config, issues: [], linkIssues: issues };
}

/** Applies the text of one field; the config moves only when every field is valid. */
export function editSetting(settings: Settings, field: keyof ExperimentConfig, text: string): Settings {
  const drafts = { ...settings.drafts, [field]: text };
  const { config, issues } = readDrafts(settings.base, drafts);
  return { ...settings, drafts, issues, config: issues.length === 0 ? config : settings.config };
}

export function choosePreset(settings: Settings, name: PresetName): Settings {
  const config = preset(name);
  return { ...settings, base: name, drafts: draftsFromConfig(config), config, issues: [] };
}

/** The preset the form shows: the base one while every field matches it, else 'custom'. */
export function shownPreset(settings: Settings): PresetName | 'custom' {
  const base = draftsFromConfig(preset(settings.base));
  return CONFIG_KEYS.every((key) => settings.drafts[key].trim() === base[key]) ? settings.base : 'custom';
}

export function settingsQuery(settings: Settings): string {
  return configToQuery(settings.config, settings.base);
}

/** The problems the form has with one field. */
export function fieldIssues(settings: Settings, field: keyof ExperimentConfig): ConfigIssue[] {
  return settings.issues.filter((issue) => issue.field === field);
}
