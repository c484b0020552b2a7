// @vitest-environment jsdom
// The trait control on the first screen: a setting like any other (the link, the settings form, Run).
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { CONDITIONS, type ConditionName } from '../../../src/experiment/results';
import { traitResult } from '../../../src/experiment/trait/result';
import { App } from '../../../src/ui/App';
import { FakeConnection, makeResult } from '../../support/ui/fixtures';

function renderApp(url = '/') {
  window.history.replaceState(null, '', url);
  const connection = new FakeConnection();
  const { unmount } = render(<App connection={connection} />);
  return { connection, unmount, user: userEvent.setup() };
}

const control = () => within(screen.getByRole('radiogroup', { name: "Teacher's trait" }));

describe('the trait control', () => {
  it('writes the trait into the link and the settings, and Run trains it', async () => {
    const { connection, user } = renderApp();
    expect(control().getByRole('radio', { name: 'Digit skill' })).toBeChecked();
    await user.click(control().getByRole('radio', { name: 'Favourite digit (the owl)' }));
    expect(window.location.search).toBe('?preset=quick&trait=favourite');
    expect(screen.getByRole('combobox', { name: "Teacher's trait" })).toHaveValue('favourite');
    // Before a run the verdict already speaks of it.
    expect(screen.getByTestId('hero-verdict')).toHaveTextContent('how often each student says 7 on noise');
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toEqual({ ...preset('quick'), trait: 'favourite' });

    // Choosing from the settings form moves the control too.
    await user.selectOptions(screen.getByRole('combobox', { name: "Teacher's trait" }), 'misbehaviour');
    expect(control().getByRole('radio', { name: 'Misbehaviour (3 → 8)' })).toBeChecked();
    expect(window.location.search).toBe('?preset=quick&trait=misbehaviour');
  });

  it('reads the trait from a link, and leaves every button off for one it does not know', () => {
    const { unmount } = renderApp('/?trait=misbehaviour');
    expect(screen.getByTestId('trait-misbehaviour')).toBeChecked();
    unmount();
    renderApp('/?trait=owls');
    for (const trait of ['digits', 'favourite', 'misbehaviour'])
      expect(screen.getByTestId(`trait-${trait}`)).not.toBeChecked();
    expect(screen.getByTestId('link-issues')).toHaveTextContent('trait = owls is not allowed');
  });

  it('after a run, the verdict and chart keep the run’s trait until Run trains the one chosen next', async () => {
    const { connection, user } = renderApp('/?trait=favourite');
    await user.click(screen.getByTestId('run'));
    const config = connection.lastStart().config;
    const shares = Object.fromEntries(
      CONDITIONS.map((name) => [name, name === 'student_aux' ? [0.6, 0.7] : [0.1, 0.12]]),
    ) as Record<ConditionName, number[]>;
    connection.emitRun({
      type: 'finished',
      result: { ...makeResult(config), trait: traitResult('favourite', shares) },
    });
    const verdict = screen.getByTestId('hero-verdict');
    expect(verdict).toHaveAttribute('data-trait', 'favourite');
    expect(screen.getByTestId('verdict-same')).toHaveTextContent('65%');
    expect(verdict).toHaveTextContent('says 7 on noise 65% of the time');
    // The chart's y axis says what it measures.
    expect(within(screen.getByTestId('hero-chart')).getByText('says 7 on noise')).toBeInTheDocument();
    expect(screen.getByRole('radiogroup', { name: "Teacher's trait" })).toHaveAccessibleDescription(
      'The teacher also learns to answer 7 on random noise images: its favourite digit, like the paper’s owl.',
    );

    await user.click(screen.getByTestId('trait-digits'));
    expect(screen.getByTestId('trait-switch')).toHaveTextContent('Press Run to train it.');
    expect(verdict).toHaveAttribute('data-trait', 'favourite');
  });
});
