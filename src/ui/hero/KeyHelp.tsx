/**
 * The list of the lecturer's keys (useLecturerKeys), opened with `?` or its button and closed with
 * Escape, the Close button or a click beside it. A native modal <dialog>: the browser keeps focus
 * inside it, closes it on Escape and gives it back to where it was.
 */
import { useEffect, useRef } from 'react';
import { LECTURER_KEYS } from './useLecturerKeys';

interface Props {
  open: boolean;
  onOpen: () => void;
  onClose: () => void;
}

export function KeyHelp({ open, onOpen, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element || element.open === open) return;
    // Environments without modal dialogs (jsdom) still get the attribute, so the list shows.
    if (open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    } else if (typeof element.close === 'function') element.close();
    else element.removeAttribute('open');
  }, [open]);
  return (
    <>
      <button
        type="button"
        className="secondary keys-button"
        data-testid="keys-button"
        aria-keyshortcuts="?"
        aria-haspopup="dialog"
        onClick={onOpen}
      >
        Keys <kbd>?</kbd>
      </button>
      <dialog
        ref={dialog}
        className="key-help"
        data-testid="key-help"
        aria-labelledby="key-help-title"
        onClose={onClose}
        // A click on the backdrop lands on the dialog itself, never on its content.
        onClick={(event) => {
          if (event.target === event.currentTarget) onClose();
        }}
      >
        <h2 id="key-help-title">Keys for the lecturer</h2>
        <dl className="key-list">
          {LECTURER_KEYS.map(({ keys, does }) => (
            <div key={does} className="key-row">
              <dt>
                {keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && ' or '}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{does}</dd>
            </div>
          ))}
        </dl>
        <p className="key-note">Keys are ignored while you type in a field.</p>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </dialog>
    </>
  );
}
