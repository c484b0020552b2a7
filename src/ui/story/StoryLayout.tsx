/** The settings beside the story on wide screens; folded away above it on a phone or in presenter mode. */
import { PanelBoundary } from '../common/ErrorBoundary';
import { Fold } from '../common/Fold';
import type { Palette } from '../common/palette';
import { useMediaQuery } from '../common/useMediaQuery';
import { Controls } from '../settings/Controls';
import type { RunState } from '../state/runState';
import type { Settings } from '../state/settings';
import type { SettingsActions } from '../state/useUrlConfig';
import { Story } from './Story';

interface Props {
  settings: Settings;
  settingsActions: SettingsActions;
  presenting: boolean;
  run: RunState | null;
  featured: 'student_aux' | 'cross_aux';
  palette: Palette;
}

export function StoryLayout({ settings, settingsActions, presenting, run, featured, palette }: Props) {
  // Phones fold the settings away under the first screen; so does presenter mode.
  const wide = useMediaQuery('(min-width: 700px)', true);
  // The pictures follow the run on screen; before any run, the settings that Run would use.
  const shown = run?.config ?? settings.config;
  return (
    <div className="layout">
      <Fold className="settings-fold" summary="Settings" defaultOpen={wide && !presenting}>
        <PanelBoundary name="Settings">
          <Controls settings={settings} actions={settingsActions} />
        </PanelBoundary>
      </Fold>
      <Story run={run} featured={featured} shown={shown} palette={palette} />
    </div>
  );
}
