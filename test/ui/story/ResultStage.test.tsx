// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CONDITIONS, PAPER_ACCURACY } from '../../../src/experiment/results';
import { ResultStage } from '../../../src/ui/story/ResultStage';
import { LIGHT } from '../../../src/ui/common/palette';
import { paperComparison, resultBars } from '../../../src/ui/story/resultBars';
import { makeResult } from '../../support/ui/fixtures';

describe('the result stage', () => {
  const result = makeResult();

  it('shows each of the six conditions with its mean once finished', () => {
    render(<ResultStage result={result} featured="student_aux" palette={LIGHT} />);
    for (const name of CONDITIONS) {
      const element = screen.getByTestId(`result-${name}`);
      // Percent with one decimal, the interval in percentage points; the exact fraction in data-value.
      expect(element).toHaveTextContent(new RegExp(`^${(result.conditions[name].mean * 100).toFixed(1)}%$`));
      expect(Number(element.dataset.value)).toBe(result.conditions[name].mean);
      expect(screen.getByTestId(`ci-${name}`)).toHaveTextContent(
        `± ${(result.conditions[name].ci95! * 100).toFixed(1)} points`,
      );
    }
    expect(screen.getByTestId('result-student_aux')).toHaveTextContent('72.5%');
    expect(screen.getByTestId('result-cross_aux')).toHaveTextContent('9.5%');
    // The paper's values are percentages too, and no accuracy is written as a bare fraction.
    const table = screen.getByRole('table');
    expect(within(table).getByText('54%')).toBeInTheDocument();
    expect(table.textContent).not.toMatch(/\b0\.\d{2,}/);
    expect(screen.getByTestId('verdict')).toHaveTextContent(
      'Same-start student: reads 73% of test digits it never saw.',
    );
    expect(screen.getByTestId('verdict')).toHaveTextContent('Different-start student: 10%');
  });

  it('draws the bars with their 95% error bars, the paper values and the chance line', () => {
    const { container } = render(<ResultStage result={result} featured="student_aux" palette={LIGHT} />);
    const svg = container.querySelector('svg.recharts-surface')!;
    expect(svg).not.toBeNull();
    // Six measured bars with an error bar each, six faint paper bars.
    expect(svg.querySelectorAll('.recharts-errorBar')).toHaveLength(6);
    expect(svg.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(12);
    // The chance label sits beyond the plot's right end, clear of every bar.
    const chance = svg.querySelector('text.chance-label')!;
    expect(chance.textContent).toBe('chance 10%');
    const plotRight = Math.max(
      ...[...svg.querySelectorAll('.recharts-bar-rectangle path, .recharts-bar-rectangle rect')].map(
        (bar) => Number(bar.getAttribute('x')) + Number(bar.getAttribute('width')),
      ),
    );
    expect(Number(chance.getAttribute('x'))).toBeGreaterThan(plotRight);
    expect(svg.querySelector('.recharts-reference-line')).not.toBeNull();
    // The featured student's bar is outlined.
    expect(svg.querySelectorAll('rect[stroke-width="3"]')).toHaveLength(1);
  });

  it('gives the chart its means, intervals and the paper values as data', () => {
    const bars = resultBars(result, 'cross_aux');
    expect(bars.map((b) => b.name)).toEqual([...CONDITIONS]);
    for (const bar of bars) {
      expect(bar.mean).toBe(result.conditions[bar.name].mean);
      expect(bar.ci).toBe(result.conditions[bar.name].ci95);
      expect(bar.paper).toBe(PAPER_ACCURACY[bar.name]);
      expect(bar.featured).toBe(bar.name === 'cross_aux');
    }
    expect(resultBars(null, 'student_aux').every((b) => b.mean === null && b.ci === null)).toBe(true);
  });

  it('before a result shows the paper values only, and no result-NAME elements', () => {
    const { container } = render(<ResultStage result={null} featured="student_aux" palette={LIGHT} />);
    for (const name of CONDITIONS) expect(screen.queryByTestId(`result-${name}`)).toBeNull();
    expect(container.querySelectorAll('.recharts-errorBar')).toHaveLength(0);
    expect(container.querySelectorAll('.recharts-bar-rectangle').length).toBe(6);
    expect(screen.getByText(/faint bars show what the paper found/)).toBeInTheDocument();
  });

  it('keeps the jargon in a closed "In detail" disclosure, and the table in a labelled scrolling box', () => {
    render(<ResultStage result={result} featured="student_aux" palette={LIGHT} />);
    const detail = screen.getByTestId('result-detail');
    expect(detail.tagName).toBe('DETAILS');
    expect(detail).not.toHaveAttribute('open');
    expect(within(detail).getByText('In detail')).toBeInTheDocument();
    expect(detail).toHaveTextContent('cross-entropy on its 10 class logits only');
    expect(detail).toHaveTextContent('1.96 · sd / √n');
    const box = screen.getByRole('region', { name: 'Result table' });
    expect(box).toHaveAttribute('tabindex', '0');
    expect(within(box).getByRole('table')).toBeInTheDocument();
  });

  it('highlights the featured condition in the table', () => {
    render(<ResultStage result={result} featured="cross_aux" palette={LIGHT} />);
    const row = screen.getByTestId('result-cross_aux').closest('tr')!;
    expect(row).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('result-student_aux').closest('tr')).not.toHaveAttribute('aria-current');
  });
});

describe("the paper's number beside this run's", () => {
  const withSame = (mean: number, ci95: number | null) => {
    const result = makeResult();
    return {
      ...result,
      conditions: { ...result.conditions, student_aux: { ...result.conditions.student_aux, mean, ci95 } },
    };
  };

  it('compares the actual numbers: above, below, or within the interval', () => {
    expect(paperComparison(null)).toMatch(/its same-start student reads 54%\.$/);
    expect(paperComparison(withSame(0.68, 0.03))).toContain("This run's reads 68%, 14 points above the paper's;");
    expect(paperComparison(withSame(0.31, null))).toContain("This run's reads 31%, 23 points below the paper's;");
    expect(paperComparison(withSame(0.56, 0.04))).toContain(
      "This run's reads 56%, within this run's 95% interval of the paper's;",
    );
    expect(paperComparison(withSame(0.68, 0.03))).not.toMatch(/lower/);
  });

  it("is shown in the stage's details", () => {
    render(<ResultStage result={withSame(0.68, 0.03)} featured="student_aux" palette={LIGHT} />);
    expect(screen.getByTestId('paper-comparison')).toHaveTextContent('68%, 14 points above');
  });
});
