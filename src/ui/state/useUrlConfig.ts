/**
 * The settings, kept in the page's URL query (like TensorFlow Playground's hash state), so a link
 * reproduces a run. Read once when the page opens; rewritten with replaceState whenever the user's
 * settings change and are valid. A link's refused values stay listed until dismissed.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ExperimentConfig, PresetName } from '../../experiment/config';
import { choosePreset, editSetting, settingsFromQuery, settingsQuery, type Settings } from './settings';

export interface SettingsActions {
  edit(field: keyof ExperimentConfig, text: string): void;
  choosePreset(name: PresetName): void;
  dismissLinkIssues(): void;
}

/** Replaces the page's query (no new history entry), keeping its path and hash. */
export function writeQuery(query: string): void {
  const { pathname, hash, search } = window.location;
  if (search === `?${query}`) return;
  window.history.replaceState(window.history.state, '', `${pathname}?${query}${hash}`);
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
  const dismissLinkIssues = useCallback(() => setSettings((current) => ({ ...current, linkIssues: [] })), []);

  const actions = useMemo(() => ({ edit, choosePreset: choose, dismissLinkIssues }), [edit, choose, dismissLinkIssues]);
  return [settings, actions];
}
