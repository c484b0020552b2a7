/**
 * Saved runs as plain data for the page: a finished run → the record to store, and the words the
 * list and the comparison show. Pure, so it is tested without a page or a database.
 */
import {
  CONFIG_KEYS,
  FIELDS,
  PRESETS,
  configToEntries,
  formatField,
  type ExperimentConfig,
  type PresetName,
} from '../../experiment/config';
import { keptRun, type RunState } from '../state/runState';
import type { NewSavedRun, SavedRun } from './store';

/**
 * The record for a run whose six conditions are tested (finished, or still measuring why: the
 * result is kept from that moment on); null for any other run, and for one shown again or replayed.
 */
export function toSavedRun(run: RunState | null, ranAt: number): NewSavedRun | null {
  const tested = run?.status === 'finished' || run?.status === 'running';
  if (!run || !tested || !run.result || run.restoredFrom || run.replay) return null;
  return { ...keptRun(run), config: run.config, backend: run.result.backend, ranAt };
}

/** "14:32, 29 Nov" (with the year when it is not this year's), in the reader's language. */
export function whenRan(date: Date, locale?: string, now = new Date()): string {
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const day = date.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
  return `${time}, ${day}`;
}

/** The preset a config differs least from, and the settings it changes: "tiny · models 2, hidden 16". */
export function settingsSummary(config: ExperimentConfig): string {
  let best: { name: PresetName; changes: [string, string][] } | null = null;
  for (const name of Object.keys(PRESETS) as PresetName[]) {
    const changes = configToEntries(config, name).slice(1); // [0] is the preset itself
    if (!best || changes.length < best.changes.length) best = { name, changes };
  }
  const { name, changes } = best!;
  return changes.length === 0 ? name : `${name} · ${changes.map(([key, value]) => `${key} ${value}`).join(', ')}`;
}

/**
 * A setting in words, from the config's own field table: its description up to any detail
 * ("auxiliary logits m", "noise images per model (a fixed set…)" → "Noise images per model").
 */
export function settingName(field: keyof ExperimentConfig): string {
  const words = FIELDS[field].help.split(/[:(]/)[0].trim();
  return /^[a-z]/.test(words) ? words[0].toUpperCase() + words.slice(1) : words;
}

/**
 * A stored record as JSON text, whatever it holds, so one the page cannot read can still be
 * exported: typed arrays as lists, maps and sets as lists, big integers as text, a cycle named.
 */
export function recordText(record: unknown): string {
  try {
    return JSON.stringify(plainData(record, []), null, 2);
  } catch (error) {
    // Nesting too deep to walk: say so rather than fail the export.
    return JSON.stringify({ unserialisable: error instanceof Error ? error.message : String(error) });
  }
}

/** `value` as JSON can hold it; `ancestors` are the objects it sits in, to name a cycle. */
function plainData(value: unknown, ancestors: object[]): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) return '[circular]';
  if (ArrayBuffer.isView(value)) return value instanceof DataView ? [] : Array.from(value as Float32Array);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const inner = [...ancestors, value];
  if (value instanceof Map || value instanceof Set) return [...value].map((item) => plainData(item, inner));
  if (Array.isArray(value)) return value.map((item) => plainData(item, inner));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainData(item, inner)]));
}

/** The settings two configs do not share, in the config's own order. */
export function differingSettings(a: ExperimentConfig, b: ExperimentConfig): (keyof ExperimentConfig)[] {
  return CONFIG_KEYS.filter((field) => formatField(a, field) !== formatField(b, field));
}

/** A file name for a saved run's results: results-2026-11-29-1432.json (local time). */
export function exportFilename(ranAt: number): string {
  const d = new Date(ranAt);
  const two = (n: number) => String(n).padStart(2, '0');
  return `results-${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}.json`;
}

/** Known runs plus new ones, each id once, newest first. */
export function mergeRuns(known: SavedRun[], more: SavedRun[]): SavedRun[] {
  const byId = new Map(known.map((r) => [r.id, r]));
  for (const r of more) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => b.ranAt - a.ranAt || b.id - a.id);
}
