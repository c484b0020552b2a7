// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RunButtons } from '../../../src/ui/hero/RunButtons';

const noop = () => {};

describe('Run and its neighbours', () => {
  it('keeps every wording of a button in it, showing one, so the button keeps its width', () => {
    const { rerender } = render(
      <RunButtons running={false} cancelling={false} issues={[]} onRun={noop} onCancel={noop} />,
    );
    const run = screen.getByTestId('run');
    expect(run).toHaveAccessibleName('Run');
    // Both wordings are laid out (the browser sizes the button by the longer), one of them hidden.
    expect(run).toHaveTextContent('RunRunning…');
    expect(screen.getByText('Running…')).toHaveClass('spare');
    rerender(<RunButtons running cancelling={false} issues={[]} onRun={noop} onCancel={noop} />);
    expect(run).toHaveAccessibleName('Running…');
    expect(run).toBeDisabled();
    expect(run).toHaveClass('busy');
    expect(screen.getByText('Run')).toHaveClass('spare');
    expect(screen.getByTestId('cancel')).toHaveAccessibleName('Cancel');
    rerender(<RunButtons running cancelling issues={[]} onRun={noop} onCancel={noop} />);
    expect(screen.getByTestId('cancel')).toHaveAccessibleName('Cancelling…');
  });

  it('shows Pause/Continue and Replay only when given, and calls them', async () => {
    const user = userEvent.setup();
    const onToggle = vi.fn();
    const onReplay = vi.fn();
    const { rerender } = render(
      <RunButtons running={false} cancelling={false} issues={[]} onRun={noop} onCancel={noop} />,
    );
    expect(screen.queryByTestId('pause')).toBeNull();
    expect(screen.queryByTestId('replay')).toBeNull();
    rerender(
      <RunButtons
        running
        cancelling={false}
        issues={[]}
        onRun={noop}
        onCancel={noop}
        pause={{ paused: false, disabled: false, onToggle }}
        replay={{ disabled: true, onReplay }}
      />,
    );
    const pause = screen.getByTestId('pause');
    expect(pause).toHaveAccessibleName('Pause');
    expect(pause).toHaveAttribute('aria-pressed', 'false');
    await user.click(pause);
    expect(onToggle).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('replay')).toBeDisabled();
    rerender(
      <RunButtons
        running={false}
        cancelling={false}
        issues={[]}
        onRun={noop}
        onCancel={noop}
        pause={{ paused: true, disabled: false, onToggle }}
        replay={{ disabled: false, onReplay }}
      />,
    );
    expect(screen.getByTestId('pause')).toHaveAccessibleName('Continue');
    expect(screen.getByTestId('pause')).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByTestId('replay'));
    expect(onReplay).toHaveBeenCalledTimes(1);
  });
});
