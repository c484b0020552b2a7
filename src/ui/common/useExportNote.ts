/**
 * The feedback every export button row gives: "Saved x." or why not, and a copied link or, where
 * the browser refuses the clipboard, the link in a field to copy by hand.
 */
import { useState } from 'react';
import { describeError } from '../../base/describeError';

export type ExportNote = { kind: 'ok' | 'error'; text: string } | null;

export function useExportNote() {
  const [note, setNote] = useState<ExportNote>(null);
  const [manualLink, setManualLink] = useState<string | null>(null);

  /** A click handler that runs `action` and says how it went. */
  const save = (what: string, action: () => void | Promise<void>) => async () => {
    try {
      await action();
      setNote({ kind: 'ok', text: `Saved ${what}.` });
    } catch (error) {
      setNote({ kind: 'error', text: `Could not save ${what}: ${describeError(error)}` });
    }
  };

  /** Copies `link`, saying `copied` when it worked. */
  const copy = async (link: string, copied: string) => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      setManualLink(null);
      setNote({ kind: 'ok', text: copied });
    } catch {
      setManualLink(link);
      setNote({ kind: 'error', text: 'This browser would not let the page copy. Copy the link below by hand.' });
    }
  };

  return { note, manualLink, save, copy };
}
