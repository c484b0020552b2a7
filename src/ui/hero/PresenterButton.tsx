/** Turns presenter mode on and off (also `?present` in the link). */
export function PresenterButton({ presenting, onToggle }: { presenting: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="secondary presenter-button"
      aria-pressed={presenting}
      data-testid="presenter"
      onClick={onToggle}
    >
      {presenting ? 'Leave presenter mode' : 'Presenter mode'}
    </button>
  );
}
