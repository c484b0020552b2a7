/**
 * The settings, kept in the page's URL query (like TensorFlow Playground's hash state), so a link
 * reproduces a run. Read once when the page opens; rewritten with replaceState whenever the user's
 * settings change and are valid (never while a refused value is open, so a copied link never
 * carries a value the page did not accept as if it had). A link's refused values stay listed, and
 * keep Run off, until fixed or dismissed (settings.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ExperimentConfig, PresetName } from '../../experiment/config';
import {
  choosePreset,
  dismissLinkIssues,
  editSetting,
  readQuery,
  settingsFromQuery,
  settingsQuery,
  type Settings,
} from './settings';

export interface SettingsActions {
  edit(field: keyof ExperimentConfig, text: string): void;
  choosePreset(name: PresetName): void;
  dismissLinkIssues(): void;
}

/** Presenter mode's key (usePresenter.ts): `?present`. */
export const PRESENT_KEY = 'present';
/** Page keys a settings or sweep query does not carry but the link keeps: the backend order, presenter mode. */
const KEPT_KEYS = ['backend', PRESENT_KEY];

/** A query as text, presenter mode written as a bare `present` rather than `present=`. */
function queryText(params: URLSearchParams): string {
  return params.toString().replace(new RegExp(`(^|&)${PRESENT_KEY}=(?=&|$)`), `$1${PRESENT_KEY}`);
}

function replaceQuery(params: URLSearchParams): void {
  const { pathname, hash, search } = window.location;
  const text = queryText(params);
  if (search === (text ? `?${text}` : '')) return;
  window.history.replaceState(window.history.state, '', `${pathname}${text ? `?${text}` : ''}${hash}`);
}

/**
 * Replaces the page's query (no new history entry), keeping its path and hash, and the page keys
 * the current link has (KEPT_KEYS) unless `query` sets them. With setPageKey, the only place the
 * page writes its URL.
 */
export function writeQuery(query: string): void {
  const next = readQuery(query);
  const current = readQuery(window.location.search);
  for (const key of KEPT_KEYS) if (current.has(key) && !next.has(key)) next.set(key, current.get(key) ?? '');
  replaceQuery(next);
}

/** Adds (`on`) or removes one page key, keeping the rest of the query as it is. */
export function setPageKey(key: string, on: boolean): void {
  const params = readQuery(window.location.search);
  if (on) params.set(key, '');
  else params.delete(key);
  replaceQuery(params);
}

export function useUrlConfig(): [Settings, SettingsActions] {
  const [settings, setSettings] = useState(() => settingsFromQuery(window.location.search));
  // The link stays exactly as opened until the user changes something.
  const touched = useRef(false);

  useEffect(() => {
    if (touched.current && settings.issues.length === 0) writeQuery(settingsQuery(settings));
  }, [settings]);

  const edit = useCallback((field: keyof ExperimentConfig, text: string) => {
    touched.current = true;
    setSettings((current) => editSetting(current, field, text));
  }, []);
  const choose = useCallback((name: PresetName) => {
    touched.current = true;
    setSettings((current) => choosePreset(current, name));
  }, []);
  const dismiss = useCallback(() => {
    touched.current = true;
    setSettings(dismissLinkIssues);
  }, []);

  const actions = useMemo(() => ({ edit, choosePreset: choose, dismissLinkIssues: dismiss }), [edit, choose, dismiss]);
  return [settings, actions];
}
