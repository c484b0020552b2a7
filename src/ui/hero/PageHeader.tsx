/** The page's top line: title, tagline, the backend, presenter mode, the lecturer's keys, updates. */
import type { BackendChoice } from '../../experiment/device/backend';
import { BackendBadge } from '../common/BackendBadge';
import { UpdatePrompt } from '../common/UpdatePrompt';
import { KeyHelp } from './KeyHelp';
import { PresenterButton } from './PresenterButton';
import type { LecturerKeys } from './useLecturerKeys';

interface Props {
  backend: BackendChoice | null;
  presenting: boolean;
  togglePresenting: () => void;
  keys: LecturerKeys;
  /** A run is going (an update waits for it). */
  busy: boolean;
}

export function PageHeader({ backend, presenting, togglePresenting, keys, busy }: Props) {
  return (
    <header className="top">
      <h1>Subliminal</h1>
      <p className="tagline">A network learns to read digits it never saw, right here in your browser.</p>
      <BackendBadge choice={backend} />
      <PresenterButton presenting={presenting} onToggle={togglePresenting} />
      <KeyHelp open={keys.helpOpen} onOpen={keys.openHelp} onClose={keys.closeHelp} />
      <UpdatePrompt busy={busy} />
    </header>
  );
}
