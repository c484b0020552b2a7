/**
 * A worker that dies mid-run (killed, crashed, ended by the browser) sends no error, so the run
 * would wait forever. While a run is active the page pings the worker every PING_MS; the worker
 * answers between two training steps. When nothing at all has come from it for SILENT_MS (far
 * longer than any step, even on a software GPU), `onSilent` runs: the engine hook restarts it.
 */
import { useEffect, useEffectEvent, useRef } from 'react';
import type { EngineConnection } from '../../worker/client';

export const PING_MS = 5_000;
export const SILENT_MS = 60_000;

export function useEngineWatchdog(connection: EngineConnection, active: boolean, onSilent: () => void): void {
  // Set whenever a run becomes active, before the first ping, so its start value is never read.
  const lastHeard = useRef(0);
  const silent = useEffectEvent(onSilent);

  useEffect(() => connection.onMessage(() => (lastHeard.current = Date.now())), [connection]);

  useEffect(() => {
    if (!active) return;
    lastHeard.current = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - lastHeard.current > SILENT_MS) {
        lastHeard.current = Date.now();
        silent();
      } else connection.send({ type: 'ping' });
    }, PING_MS);
    return () => clearInterval(timer);
  }, [active, connection]);
}
