/**
 * The lecturer's keys, for a presenter with a clicker or a keyboard at the back of the room:
 * Space or K pauses and resumes, R runs, S flips the switch, ? lists the keys (Escape closes the list).
 * Keys typed into a field, or pressed with Ctrl, Alt or Meta, are left alone; so is Space on a
 * control where Space already means "press this" (a button, a link, a disclosure), so keyboard
 * users keep the browser's own behaviour there.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface LecturerActions {
  /** Pause or resume the run; absent while there is nothing to pause. */
  onPauseToggle?: () => void;
  /** Start a run; absent while Run is off. */
  onRun?: () => void;
  /** Flip the same-start / different-start switch. */
  onFlip?: () => void;
}

export interface LecturerKeys {
  /** Whether the list of keys is open. */
  helpOpen: boolean;
  openHelp: () => void;
  closeHelp: () => void;
}

/** The keys as the list shows them, in order; the hook and KeyHelp share it. */
export const LECTURER_KEYS: readonly { keys: readonly string[]; does: string }[] = [
  { keys: ['Space', 'K'], does: 'Pause or continue the run' },
  { keys: ['R'], does: 'Run' },
  { keys: ['S'], does: 'Flip the switch: same start / different start' },
  { keys: ['?'], does: 'Show these keys' },
  { keys: ['Esc'], does: 'Close this list' },
];

/** Where typing goes: a key pressed there is text, not a command. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** Controls that Space already presses. */
function spacePresses(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.closest('button, a[href], summary, [role="button"], [role="switch"], [role="checkbox"]') !== null;
}

/** What a key press asks for, or null when it is not one of the lecturer's keys (exported for tests). */
export function lecturerCommand(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey' | 'repeat' | 'target'>,
): 'pause' | 'run' | 'flip' | 'help' | 'close' | null {
  if (event.ctrlKey || event.altKey || event.metaKey || isTyping(event.target)) return null;
  if (event.key === 'Escape') return 'close';
  // '?' needs Shift on most layouts; the letters do not, so Shift+R is left to the browser.
  if (event.key === '?') return 'help';
  if (event.shiftKey || event.repeat) return null;
  switch (event.key) {
    case ' ':
      return spacePresses(event.target) ? null : 'pause';
    case 'k':
    case 'K':
      return 'pause';
    case 'r':
    case 'R':
      return 'run';
    case 's':
    case 'S':
      return 'flip';
    default:
      return null;
  }
}

export function useLecturerKeys(actions: LecturerActions): LecturerKeys {
  const [helpOpen, setHelpOpen] = useState(false);
  // The latest callbacks, read at key time, so the listener is added once and never goes stale.
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  const open = useRef(helpOpen);
  useEffect(() => {
    open.current = helpOpen;
  }, [helpOpen]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const command = lecturerCommand(event);
      if (command === null) return;
      if (command === 'close') {
        if (open.current) {
          event.preventDefault();
          setHelpOpen(false);
        }
        return;
      }
      if (command === 'help') {
        event.preventDefault();
        setHelpOpen((now) => !now);
        return;
      }
      // While the list is open the keys only read; nothing starts behind it.
      if (open.current) return;
      const action =
        command === 'pause'
          ? latest.current.onPauseToggle
          : command === 'run'
            ? latest.current.onRun
            : latest.current.onFlip;
      if (!action) return;
      // Space would scroll the page as well.
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const openHelp = useCallback(() => setHelpOpen(true), []);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  return { helpOpen, openHelp, closeHelp };
}
