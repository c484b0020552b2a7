/**
 * The settings form as plain data: the text in each field (a draft), the preset it started from,
 * and what that text means as a config. Parsing and validation are experiment/config's, so the page, the
 * URL and the command line refuse the same values with the same words.
 */
import {
  CONFIG_KEYS,
  configFromEntries,
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
  /** The text of every field, as the user typed it (or the link gave it, refused or not). */
  drafts: Drafts;
  /** The last valid config (what Run runs when there are no issues). */
  config: ExperimentConfig;
  /**
   * Everything that keeps Run (and the sweeps) off: the drafts' refused fields, and the link's
   * refused values the form cannot show (linkHeld). Empty = Run may run `config`.
   */
  issues: ConfigIssue[];
  /** The link's refused values still open, listed above the form until fixed or dismissed. */
  linkIssues: ConfigIssue[];
  /**
   * Of linkIssues, those no field shows (an unknown key or preset, a key given twice): they keep
   * Run off until their field is edited, a preset is chosen or they are dismissed.
   */
  linkHeld: ConfigIssue[];
}

export function draftsFromConfig(config: ExperimentConfig): Drafts {
  return Object.fromEntries(CONFIG_KEYS.map((key) => [key, formatField(config, key)])) as Drafts;
}

/** Reads the drafts as experiment/config reads a query: the config (refused fields keep the preset's value) and the issues. */
export function readDrafts(base: PresetName, drafts: Drafts): { config: ExperimentConfig; issues: ConfigIssue[] } {
  const { config, issues } = configFromEntries([
    ['preset', base],
    ...CONFIG_KEYS.map((key): [string, string] => [key, drafts[key]]),
  ]);
  return { config, issues };
}

/**
 * A query's key/value pairs, never throwing: URLSearchParams decodes leniently (a malformed `%`
 * escape stays as text, it is not an error), and anything that still throws gives no pairs.
 */
export function readQuery(query: string): URLSearchParams {
  try {
    return new URLSearchParams(query);
  } catch {
    return new URLSearchParams();
  }
}

/** The settings for these drafts and the link's issues still open. */
function settle(
  base: PresetName,
  drafts: Drafts,
  previous: ExperimentConfig,
  linkIssues: ConfigIssue[],
  linkHeld: ConfigIssue[],
): Settings {
  const { config, issues: formIssues } = readDrafts(base, drafts);
  // A link value the form shows stays listed while its field is still refused; held ones until acted on.
  const open = linkIssues.filter(
    (issue) => linkHeld.includes(issue) || formIssues.some((known) => known.field === issue.field),
  );
  return {
    base,
    drafts,
    config: formIssues.length === 0 ? config : previous,
    issues: [...formIssues, ...linkHeld],
    linkIssues: open,
    linkHeld,
  };
}

/**
 * Settings from a URL query. A query without a preset starts from DEFAULT_PRESET. A refused value
 * stays in its field as the link gave it, refused there as if typed, so Run is off until it is
 * fixed: the link never runs with a value it did not ask for.
 */
export function settingsFromQuery(query: string): Settings {
  const params = readQuery(query);
  // A sweep link's sweep is the Explore section's (sweepLink.ts), not a setting.
  params.delete('sweep');
  if (!params.has('preset')) params.set('preset', DEFAULT_PRESET);
  const { config, preset: base, issues } = configFromEntries(params.entries());
  const drafts = draftsFromConfig(config);
  for (const issue of issues) {
    if (issue.field === 'preset') continue;
    const given = params.getAll(issue.field);
    if (given.length === 1) drafts[issue.field] = given[0];
  }
  const formFields = new Set(readDrafts(base, drafts).issues.map((issue) => issue.field));
  const held = issues.filter((issue) => !formFields.has(issue.field));
  return settle(base, drafts, config, issues, held);
}

/** Applies the text of one field; the config moves only when every field is valid. */
export function editSetting(settings: Settings, field: keyof ExperimentConfig, text: string): Settings {
  const drafts = { ...settings.drafts, [field]: text };
  // Editing a field answers whatever the link said about it.
  const about = (issue: ConfigIssue) => issue.field !== field;
  return settle(
    settings.base,
    drafts,
    settings.config,
    settings.linkIssues.filter(about),
    settings.linkHeld.filter(about),
  );
}

/** Choosing a preset starts again from it: the link's refused values no longer apply. */
export function choosePreset(_settings: Settings, name: PresetName): Settings {
  const config = preset(name);
  return settle(name, draftsFromConfig(config), config, [], []);
}

/** "Use the preset's values instead": the link's refused fields go back to the preset's, and Run is free of them. */
export function dismissLinkIssues(settings: Settings): Settings {
  const base = draftsFromConfig(preset(settings.base));
  const drafts = { ...settings.drafts };
  for (const issue of settings.linkIssues) if (issue.field !== 'preset') drafts[issue.field] = base[issue.field];
  return settle(settings.base, drafts, settings.config, [], []);
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
