// @vitest-environment jsdom
// Stage 3: the students' chart on a log-step axis (the critical period), a taught trait's measure, and liminal training.
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CurvePoint } from '../../../src/experiment/results';
import { LIGHT } from '../../../src/ui/common/palette';
import { StudentStage } from '../../../src/ui/story/StudentStage';
import { point } from '../../support/ui/fixtures';

/** Three points dense early, as curveSpacing 'log' takes them; accuracies and trait shares apart. */
const POINTS: CurvePoint[] = [0, 3, 100].map((step, i) => ({
  ...point(step, step / 50, { student_aux: [0.1 + 0.2 * i], cross_aux: [0.1] }),
  trait: { student_aux: [0.1 + 0.3 * i], cross_aux: [0.1] },
}));

const stage = (props: Partial<Parameters<typeof StudentStage>[0]> = {}) =>
  render(
    <StudentStage
      points={POINTS}
      digits={null}
      featured="student_aux"
      epochs={2}
      totalSteps={100}
      palette={LIGHT}
      {...props}
    />,
  );

/** The x axis's tick words, in order (the y axis's are percentages). */
const ticks = (container: HTMLElement) =>
  [...container.querySelectorAll('.recharts-cartesian-axis-tick-value')]
    .map((t) => t.textContent)
    .filter((text) => !text?.endsWith('%'));
/** Where the x axis's ticks sit, in pixels. */
const tickXs = (container: HTMLElement) =>
  [...container.querySelectorAll('.recharts-cartesian-axis-tick-value')]
    .filter((t) => !t.textContent?.endsWith('%'))
    .map((t) => Number(t.getAttribute('x')));
/** The axes' names. */
const axisNames = (container: HTMLElement) =>
  [...container.querySelectorAll('.recharts-label')].map((t) => t.textContent);

describe('the students’ chart', () => {
  it('starts on log steps when the points were taken dense early, and the reader can switch back to epochs', async () => {
    const user = userEvent.setup();
    const { container } = stage({ curveSpacing: 'log' });
    const toggle = screen.getByRole('checkbox', { name: /^Log steps/ });
    expect(toggle).toBeChecked();
    expect(ticks(container)).toEqual(['start', '10', '100']);
    // Log spaced: step 10 (at 11) lies log 11 / log 101 of the way from the start (at 1) to step 100 (at 101).
    const [start, ten, end] = tickXs(container);
    expect((ten - start) / (end - start)).toBeCloseTo(Math.log(11) / Math.log(101), 2);
    expect(axisNames(container)).toContain('steps (log scale)');
    expect(screen.getByRole('figure', { name: /against steps on a log scale$/ })).toBeInTheDocument();

    await user.click(toggle);
    expect(toggle).not.toBeChecked();
    expect(axisNames(container)).toEqual(['epochs']);
    expect(ticks(container)).not.toContain('start');
  });

  it('starts on epochs for evenly spread points, and switches to log steps', async () => {
    const user = userEvent.setup();
    const { container } = stage({ curveSpacing: 'linear' });
    expect(screen.getByRole('checkbox', { name: /^Log steps/ })).not.toBeChecked();
    await user.click(screen.getByRole('checkbox', { name: /^Log steps/ }));
    expect(ticks(container)).toEqual(['start', '10', '100']);
  });

  it('follows a taught trait’s measure, in its words', () => {
    stage({ trait: 'misbehaviour' });
    expect(screen.getByTestId('featured-student')).toHaveTextContent('calls a 3 an 8 70% of the time');
    expect(screen.getByRole('figure', { name: /^How often each student calls a 3 an 8 while/ })).toBeInTheDocument();
    stage({ trait: 'digits' });
    expect(screen.getAllByTestId('featured-student')[1]).toHaveTextContent('50% of test digits right');
  });

  it('names liminal training and shades its window', () => {
    const { container } = stage({ mitigation: 'liminal', liminal: { liminalWeight: 2, liminalWindow: 0.5 } });
    expect(screen.getByTestId('mitigation-note')).toHaveTextContent(
      'Mitigation on: liminal training, λ = 2, first 0.5 epochs.',
    );
    expect(container.querySelector('.recharts-reference-area')).not.toBeNull();
    expect(axisNames(container)).toContain('liminal');
  });
});
