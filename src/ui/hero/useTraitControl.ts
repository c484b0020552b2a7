/** The first screen's trait control, wired to the settings: the trait as the form holds it, and choosing another. */
import { useMemo } from 'react';
import type { TraitName } from '../../experiment/config';
import type { Settings } from '../state/settings';
import type { SettingsActions } from '../state/useUrlConfig';

export interface TraitControl {
  /** The trait setting's text (a link may give one the page refuses). */
  chosen: string;
  onChoose: (trait: TraitName) => void;
}

export function useTraitControl(settings: Settings, actions: SettingsActions): TraitControl {
  const { edit } = actions;
  const chosen = settings.drafts.trait;
  return useMemo(() => ({ chosen, onChoose: (trait: TraitName) => edit('trait', trait) }), [chosen, edit]);
}
