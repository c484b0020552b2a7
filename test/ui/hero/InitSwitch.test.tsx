// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/App';
import { CONDITION_LABELS } from '../../../src/experiment/results';
import { percent } from '../../../src/ui/common/format';
import { DIGITS, FakeConnection, makeResult, point } from '../../support/ui/fixtures';

/** The page with a run that has distilled a bit and finished, so every part of it shows numbers. */
function renderFinishedRun() {
  const connection = new FakeConnection();
  const view = render(<App connection={connection} />);
  screen.getByTestId('run').click();
  connection.emitRun(DIGITS);
  const distill = point(
    10,
    1,
    { student_aux: [0.6, 0.7], student_all: [0.8, 0.8], cross_aux: [0.1, 0.12], cross_all: [0.5, 0.5] },
    // Model 0 of the same-init student gets all eight right; the different-init one only the 1s.
    {
      student_aux: [7, 2, 1, 0, 4, 1, 4, 9],
      student_all: [7, 2, 1, 0, 4, 1, 4, 9],
      cross_aux: [1, 1, 1, 1, 1, 1, 1, 1],
      cross_all: [7, 2, 1, 0, 4, 1, 4, 9],
    },
  );
  connection.emitRun({ type: 'metrics', phase: 'distill', point: distill });
  // The finished run's curves are the engine's whole curves: here the same point.
  const result = makeResult();
  connection.emitRun({ type: 'finished', result: { ...result, curves: { teacher: [], distill: [distill] } } });
  return { connection, ...view };
}

function featuredRow() {
  return document
    .querySelector('.result-table tr[aria-current="true"]')!
    .querySelector('[data-testid^="result-"]')!
    .getAttribute('data-testid');
}

describe('the init switch', () => {
  it('is a focusable, labelled switch that starts on shared initialisation', () => {
    render(<App connection={new FakeConnection()} />);
    const toggle = screen.getByRole('switch', { name: /teacher's own random weights/ });
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    expect(toggle.tabIndex).toBe(0);
    expect(screen.getByText(/^Shared initialisation:/)).toBeVisible();
  });

  it('a click moves the featured student from same init to different init and back', async () => {
    const user = userEvent.setup();
    renderFinishedRun();
    const toggle = screen.getByRole('switch');
    expect(screen.getByTestId('featured-student')).toHaveTextContent(
      `${CONDITION_LABELS.student_aux}: ${percent(makeResult().conditions.student_aux.mean)}`,
    );
    expect(featuredRow()).toBe('result-student_aux');
    expect(screen.getAllByText('Same-start student: 8 of 8 right.')[0]).toBeInTheDocument();

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByTestId('featured-student')).toHaveTextContent(
      `${CONDITION_LABELS.cross_aux}: ${percent(makeResult().conditions.cross_aux.mean)}`,
    );
    expect(featuredRow()).toBe('result-cross_aux');
    expect(screen.getAllByText('Different-start student: 2 of 8 right.')[0]).toBeInTheDocument();
    expect(screen.getByText(/^Different initialisation:/)).toBeInTheDocument();
    // The result chart still shows all six conditions.
    expect(document.querySelectorAll('.recharts-errorBar')).toHaveLength(6);

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    expect(featuredRow()).toBe('result-student_aux');
  });

  it('toggles from the keyboard with Space and Enter', async () => {
    const user = userEvent.setup();
    renderFinishedRun();
    const toggle = screen.getByRole('switch');
    toggle.focus();
    expect(toggle).toHaveFocus();
    await user.keyboard(' ');
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    expect(featuredRow()).toBe('result-cross_aux');
    await user.keyboard('{Enter}');
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    expect(featuredRow()).toBe('result-student_aux');
    await user.tab({ shift: true });
    await user.tab();
    expect(toggle).toHaveFocus();
  });

  it('flipping never retrains: no message goes to the engine', async () => {
    const user = userEvent.setup();
    const { connection } = renderFinishedRun();
    const sent = connection.sent.length;
    await user.click(screen.getByRole('switch'));
    await user.click(screen.getByRole('switch'));
    expect(connection.sent).toHaveLength(sent);
  });
});
