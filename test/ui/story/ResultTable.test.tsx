// @vitest-environment jsdom
// The result stage with a taught trait: its measure per condition beside the accuracies, in its words.
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { CONDITIONS, type ConditionName } from '../../../src/experiment/results';
import { traitResult } from '../../../src/experiment/trait/result';
import { LIGHT } from '../../../src/ui/common/palette';
import { ResultStage } from '../../../src/ui/story/ResultStage';
import { makeResult } from '../../support/ui/fixtures';

const SHARES = Object.fromEntries(CONDITIONS.map((name, i) => [name, [0.1 + 0.1 * i, 0.12 + 0.1 * i]])) as Record<
  ConditionName,
  number[]
>;

describe('the result table with a taught trait', () => {
  it('gives each condition’s trait measure, mean ± 95%, beside its accuracy', () => {
    const config = { ...preset('quick'), trait: 'favourite' as const };
    const result = { ...makeResult(config), trait: traitResult('favourite', SHARES) };
    render(<ResultStage result={result} featured="student_aux" palette={LIGHT} />);
    const table = screen.getByRole('table');
    expect(within(table).getByRole('columnheader', { name: 'says 7 on noise, ±\u00a095%' })).toBeInTheDocument();
    for (const name of CONDITIONS) {
      const cell = screen.getByTestId(`trait-${name}`);
      const { mean, ci95 } = result.trait.conditions[name];
      expect(Number(cell.dataset.value)).toBe(mean);
      expect(cell).toHaveTextContent(`${(mean * 100).toFixed(1)}% ± ${(ci95! * 100).toFixed(1)}`);
      // The accuracy stays where it was.
      expect(Number(screen.getByTestId(`result-${name}`).dataset.value)).toBe(result.conditions[name].mean);
    }
    // student_aux is the third condition: shares 0.3 and 0.32.
    expect(screen.getByTestId('trait-verdict')).toHaveTextContent(
      'Same-start student: says 7 on noise 31% of the time.',
    );
    expect(screen.getByTestId('trait-measure')).toHaveTextContent(result.trait.measure);
  });

  it('a run from before traits (no trait result) shows accuracy alone, as a digits run', () => {
    render(<ResultStage result={makeResult()} featured="student_aux" palette={LIGHT} />);
    expect(screen.queryByTestId('trait-student_aux')).toBeNull();
    expect(screen.queryByTestId('trait-verdict')).toBeNull();
    expect(screen.getAllByRole('columnheader')).toHaveLength(4);
  });

  it('names liminal training when the run had it', () => {
    const config = { ...preset('quick'), mitigation: 'liminal' as const, liminalWeight: 0.5, liminalWindow: 1 };
    render(<ResultStage result={makeResult(config)} featured="student_aux" palette={LIGHT} />);
    expect(screen.getByTestId('result-mitigation')).toHaveTextContent(
      'Mitigation: liminal training, λ = 0.5, first 1 epoch.',
    );
  });
});
