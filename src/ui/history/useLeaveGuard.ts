/**
 * Asks before the page is left while `active` (a run is training): a reload or a closed tab would
 * lose it. Browsers show their own question; the listener is there only while it matters, so a
 * finished page closes without one.
 */
import { useEffect } from 'react';

export function useLeaveGuard(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [active]);
}
