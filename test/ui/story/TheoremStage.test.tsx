// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TheoremStage } from '../../../src/ui/story/TheoremStage';
import { LIGHT } from '../../../src/ui/common/palette';
import { makeTheorem } from '../../support/ui/fixtures';

describe('the "why it happens" stage', () => {
  it('before the one-step experiment, says what it will measure', () => {
    const { container } = render(<TheoremStage result={null} ended={false} palette={LIGHT} />);
    expect(screen.getByRole('heading', { name: /Why it happens: one step of imitation/ })).toBeInTheDocument();
    expect(screen.getByText(/The theorem/).closest('p')).toHaveTextContent(
      'From different starting weights there is no such promise.',
    );
    expect(screen.getByTestId('theorem-waiting')).toHaveTextContent(
      "whether the teacher's digit loss went down at the student",
    );
    expect(container.querySelector('svg.recharts-surface')).toBeNull();
    expect(screen.getByTestId('theorem-waiting')).not.toHaveTextContent('ended without');
  });

  it('says so when the run ended without the one-step check', () => {
    render(<TheoremStage result={null} ended palette={LIGHT} />);
    expect(screen.getByTestId('theorem-waiting')).toHaveTextContent(
      'This run ended without that check; run again to see it.',
    );
  });

  it('says what happened in plain words, with the exact numbers and e-notation only in a closed "The maths" disclosure', () => {
    render(<TheoremStage result={makeTheorem()} ended={false} palette={LIGHT} />);
    const verdict = screen.getByTestId('theorem-verdict');
    expect(verdict).toHaveTextContent(
      "From the same start, one small step of copying the teacher on noise made the student better at the teacher's digits, at every step size tried. " +
        'From a different start it went either way: better for some models and step sizes, worse for others.',
    );
    expect(verdict.textContent).not.toMatch(/e-\d|cosine|inner product|ε/);
    const detail = screen.getByTestId('theorem-detail');
    expect(detail.tagName).toBe('DETAILS');
    expect(detail).not.toHaveAttribute('open');
    expect(within(detail).getByText('The maths')).toBeInTheDocument();
    for (const id of ['theorem-shared', 'theorem-different', 'theorem-axis', 'theorem-table'])
      expect(detail).toContainElement(screen.getByTestId(id));
  });

  it("states the measured result in words with this run's numbers", () => {
    render(<TheoremStage result={makeTheorem()} ended={false} palette={LIGHT} />);
    expect(screen.getByTestId('theorem-shared')).toHaveTextContent(
      "From the same start, one imitation step on noise lowered the teacher's digit loss at every one of the 4 ε values tested (change −0.0123 at ε = 0.01; the two steps' inner product was +5.00e-5, their cosine +0.120).",
    );
    expect(screen.getByTestId('theorem-different')).toHaveTextContent(
      'From a different start the change had no consistent sign: the loss fell for 4 of 12 model–ε pairs and rose for the rest (from −1.00 to +2.00; +0.0400 on average at ε = 0.01, cosine +0.0100).',
    );
    expect(screen.getByTestId('theorem-axis')).toHaveTextContent(
      'The scale is a signed log: 0 in the middle, then +0.01, +0.1 and so on (and the same below 0), each mark ten times the last',
    );
    expect(screen.getByTestId('theorem-axis')).toHaveTextContent(
      "has length 0.01; the teacher's loss is taken on 512 training digits",
    );
  });

  it('draws the loss change against ε on log axes: a mean line per start, a dot per model, zero marked', () => {
    const { container } = render(<TheoremStage result={makeTheorem()} ended={false} palette={LIGHT} />);
    const svg = container.querySelector('svg.recharts-surface')!;
    expect(svg).not.toBeNull();
    expect(svg.querySelectorAll('path.recharts-line-curve')).toHaveLength(2);
    expect(svg.querySelectorAll('.recharts-scatter-symbol')).toHaveLength(24); // 2 starts × 4 ε × 3 models
    expect(svg.querySelector('.recharts-reference-line')).not.toBeNull();
    const text = within(svg as unknown as HTMLElement);
    for (const tick of ['0.001', '0.01', '0.1', '1', '0', '+0.01', '−0.01', '+10', '−1'])
      expect(text.getByText(tick)).toBeInTheDocument();
    expect(text.getByText("teacher's step size ε (log scale)")).toBeInTheDocument();
    expect(text.getByText('change in digit loss')).toBeInTheDocument();
    // Both starts are drawn solid and bold: the pair the story contrasts.
    for (const line of svg.querySelectorAll('path.recharts-line-curve')) {
      expect(line).toHaveAttribute('stroke-width', '4');
      expect(line).not.toHaveAttribute('stroke-dasharray');
    }
  });

  it('lists loss change, inner product and cosine per ε and start in a table', () => {
    render(<TheoremStage result={makeTheorem()} ended={false} palette={LIGHT} />);
    const table = screen.getByTestId('theorem-table');
    expect(within(table).getByText(/Means over 3 models/)).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(2);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual(['0.001', '0.01', '0.1', '1']);
    expect([...rows[1].querySelectorAll('td')].map((cell) => cell.textContent)).toEqual([
      '−0.0123',
      '+5.00e-5',
      '+0.120',
      '+0.0400',
      '+1.00e-5',
      '+0.0100',
    ]);
  });
});
