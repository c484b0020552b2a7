// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { KeyHelp } from '../../../src/ui/hero/KeyHelp';
import { useLecturerKeys, type LecturerActions } from '../../../src/ui/hero/useLecturerKeys';

/** A page with the hook, its list of keys, a field to type in and a button that Space presses. */
function Page(actions: LecturerActions) {
  const keys = useLecturerKeys(actions);
  return (
    <div>
      <input aria-label="A setting" />
      <textarea aria-label="Notes" />
      <select aria-label="Backend">
        <option>auto</option>
        <option>wasm</option>
      </select>
      <button type="button">Somewhere</button>
      <span data-testid="help-state">{keys.helpOpen ? 'open' : 'closed'}</span>
      <KeyHelp open={keys.helpOpen} onOpen={keys.openHelp} onClose={keys.closeHelp} />
    </div>
  );
}

function setup() {
  const actions = { onPauseToggle: vi.fn(), onRun: vi.fn(), onFlip: vi.fn() };
  render(<Page {...actions} />);
  return { actions, user: userEvent.setup() };
}

const calls = (actions: { onPauseToggle: () => void; onRun: () => void; onFlip: () => void }) => ({
  pause: vi.mocked(actions.onPauseToggle).mock.calls.length,
  run: vi.mocked(actions.onRun).mock.calls.length,
  flip: vi.mocked(actions.onFlip).mock.calls.length,
});

describe("the lecturer's keys", () => {
  it('Space and K pause or resume, R runs, S flips the switch', async () => {
    const { actions, user } = setup();
    await user.keyboard(' ');
    expect(calls(actions)).toEqual({ pause: 1, run: 0, flip: 0 });
    await user.keyboard('k');
    await user.keyboard('K');
    expect(calls(actions)).toEqual({ pause: 3, run: 0, flip: 0 });
    await user.keyboard('r');
    expect(calls(actions)).toEqual({ pause: 3, run: 1, flip: 0 });
    await user.keyboard('s');
    await user.keyboard('s');
    expect(calls(actions)).toEqual({ pause: 3, run: 1, flip: 2 });
  });

  it('keeps Space from scrolling the page when it pauses', () => {
    setup();
    const event = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('leaves keys alone while typing in an input, a textarea or a select', async () => {
    const { actions, user } = setup();
    await user.click(screen.getByLabelText('A setting'));
    await user.keyboard('rsk ?');
    expect(screen.getByLabelText('A setting')).toHaveValue('rsk ?');
    await user.click(screen.getByLabelText('Notes'));
    await user.keyboard('rsk ');
    screen.getByLabelText('Backend').focus();
    await user.keyboard('s');
    expect(calls(actions)).toEqual({ pause: 0, run: 0, flip: 0 });
    expect(screen.getByTestId('help-state')).toHaveTextContent('closed');
  });

  it('leaves keys with Ctrl, Alt or Meta (and Shift on the letters) to the browser', async () => {
    const { actions, user } = setup();
    await user.keyboard('{Control>}r{/Control}{Meta>}r{/Meta}{Alt>}s{/Alt}{Shift>}R{/Shift}{Control>}k{/Control}');
    expect(calls(actions)).toEqual({ pause: 0, run: 0, flip: 0 });
  });

  it('lets Space press a focused button as usual, while K still pauses', async () => {
    const { actions, user } = setup();
    const button = screen.getByRole('button', { name: 'Somewhere' });
    const pressed = vi.fn();
    button.addEventListener('click', pressed);
    button.focus();
    await user.keyboard(' ');
    expect(pressed).toHaveBeenCalledTimes(1);
    expect(calls(actions).pause).toBe(0);
    await user.keyboard('k');
    expect(calls(actions).pause).toBe(1);
  });

  it('ignores a held-down key after the first press', () => {
    const { actions } = setup();
    for (let i = 0; i < 5; i++) {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 's', repeat: i > 0, bubbles: true }));
    }
    expect(calls(actions).flip).toBe(1);
  });

  it('does nothing for an action that is not wired (Run off, nothing to pause)', async () => {
    const onFlip = vi.fn();
    render(<Page onFlip={onFlip} />);
    const user = userEvent.setup();
    const event = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    // Nothing paused, so the page may scroll as usual.
    expect(event.defaultPrevented).toBe(false);
    await user.keyboard('rs');
    expect(onFlip).toHaveBeenCalledTimes(1);
  });

  it('lists the keys on ?, closes the list on Escape, and runs nothing while it is open', async () => {
    const { actions, user } = setup();
    const dialog = screen.getByTestId('key-help');
    expect(dialog).not.toHaveAttribute('open');
    await user.keyboard('?');
    expect(dialog).toHaveAttribute('open');
    expect(screen.getByTestId('help-state')).toHaveTextContent('open');
    const rows = [...dialog.querySelectorAll('.key-row')].map((row) => row.textContent);
    expect(rows).toEqual([
      'Space or KPause or continue the run',
      'RRun',
      'SFlip the switch: same start / different start',
      '?Show these keys',
      'EscClose this list',
    ]);
    await user.keyboard('rs ');
    expect(calls(actions)).toEqual({ pause: 0, run: 0, flip: 0 });
    await user.keyboard('{Escape}');
    expect(dialog).not.toHaveAttribute('open');
    expect(screen.getByTestId('help-state')).toHaveTextContent('closed');
    await user.keyboard('r');
    expect(calls(actions).run).toBe(1);
  });

  it('opens the list from its button and closes it with Close', async () => {
    const { user } = setup();
    await user.click(screen.getByTestId('keys-button'));
    const dialog = screen.getByTestId('key-help');
    expect(dialog).toHaveAttribute('open');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(dialog).not.toHaveAttribute('open');
  });
});
