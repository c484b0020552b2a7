// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AlignmentCharts, cosine } from '../../../src/ui/story/AlignmentCharts';
import { DARK, LIGHT } from '../../../src/ui/common/palette';
import { ALIGNED_POINTS, point } from '../../support/ui/fixtures';

describe('the "inside the students" charts', () => {
  it('draw nothing until a point carries alignment numbers', () => {
    const { container } = render(
      <AlignmentCharts
        points={[point(0, 0, { student_aux: [0.1] })]}
        featured="student_aux"
        epochs={2}
        palette={LIGHT}
      />,
    );
    expect(container).toBeEmptyDOMElement();
    const empty = render(<AlignmentCharts points={[]} featured="student_aux" epochs={2} palette={LIGHT} />);
    expect(empty.container).toBeEmptyDOMElement();
  });

  it('show four labelled charts with plain captions and the newest means of the two aux students', () => {
    render(<AlignmentCharts points={ALIGNED_POINTS} featured="student_aux" epochs={2} palette={LIGHT} />);
    const section = screen.getByRole('region', { name: 'Inside the students: which way do their weights move?' });
    for (const title of [
      'Moving the way the teacher moved',
      'Distance to the teacher',
      'Does copying also teach reading?',
      'How closely it copies the teacher',
    ]) {
      expect(within(section).getByRole('heading', { name: title })).toBeInTheDocument();
    }
    expect(within(section).getAllByRole('figure')).toHaveLength(8); // four panels, each with its chart
    expect(
      screen.getByRole('figure', { name: /How far each student moves the way its teacher moved/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Above 0 \(the dashed line\) means it moves in the teacher's direction, 0 means unrelated/),
    ).toBeInTheDocument();
    expect(screen.getByText(/1, the dashed line, = where it started; 0 = on the teacher/)).toBeInTheDocument();
    // Plain captions under the charts; what a cosine is, only in the closed disclosure.
    const captions = [...section.querySelectorAll('figcaption')].map((caption) => caption.textContent ?? '');
    expect(captions).toHaveLength(4);
    for (const caption of captions) expect(caption).not.toMatch(/cosine|gradient/i);
    // The captions say what this run measured, beside the number they speak of (+0.30 and +0.040 here).
    expect(captions[0]).toMatch(/The same-start student is at \+0\.30: above 0, as the theory expects\.$/);
    expect(captions[2]).toMatch(/The same-start student's is \+0\.040: above 0, as the theory expects\.$/);
    const detail = screen.getByTestId('alignment-detail');
    expect(detail.tagName).toBe('DETAILS');
    expect(detail).not.toHaveAttribute('open');
    expect(detail).toHaveTextContent("The cosine between the student's total change");
    expect(screen.getByTestId('alignment-now-update')).toHaveTextContent(
      'Now: same start +0.30 · different start −0.010',
    );
    expect(screen.getByTestId('alignment-now-distance')).toHaveTextContent(
      'Now: same start 0.50 · different start 1.10',
    );
    expect(screen.getByTestId('alignment-now-gradient')).toHaveTextContent(
      'Now: same start +0.040 · different start +0.010',
    );
    // The fixture's points carry no training loss.
    expect(screen.getByTestId('alignment-now-loss')).toHaveTextContent('Now: same start — · different start —');
    expect(screen.getByText(/With the projection mitigation on, this still falls/)).toBeInTheDocument();
  });

  it('write cosines without e-notation: a size below 0.001 reads as about zero', () => {
    expect(cosine(0.21)).toBe('+0.21');
    expect(cosine(-0.0063)).toBe('−0.0063');
    expect(cosine(-8e-4)).toBe('≈ 0');
    expect(cosine(0)).toBe('≈ 0');
  });

  it('draw a line per student, the aux ones bold, the all-logit ones dashed, and a reference line on each chart', () => {
    const points = ALIGNED_POINTS.map((p) =>
      p.alignment
        ? {
            ...p,
            alignment: {
              updateCosine: { ...p.alignment.updateCosine, student_all: [0.5], cross_all: [0.1] },
              distance: { ...p.alignment.distance, student_all: [3], cross_all: [3] },
              gradientCosine: { ...p.alignment.gradientCosine, student_all: [0.1], cross_all: [0] },
            },
            loss: { student_aux: [0.1, 0.2], cross_aux: [0.3, 0.3], student_all: [0.1], cross_all: [0.2] },
          }
        : p,
    );
    const { container } = render(<AlignmentCharts points={points} featured="cross_aux" epochs={2} palette={DARK} />);
    const charts = container.querySelectorAll('svg.recharts-surface');
    expect(charts).toHaveLength(4);
    for (const svg of charts) {
      const lines = [...svg.querySelectorAll('path.recharts-line-curve')];
      expect(lines).toHaveLength(4);
      const stroke = (color: string) => lines.find((line) => line.getAttribute('stroke') === color)!;
      // Both aux-only students solid and strong, the featured one boldest; the all-logit ones thin, dashed, faint.
      expect(stroke(DARK.condition.cross_aux)).toHaveAttribute('stroke-width', '5'); // featured
      expect(stroke(DARK.condition.student_aux)).toHaveAttribute('stroke-width', '4');
      for (const main of [DARK.condition.cross_aux, DARK.condition.student_aux]) {
        expect(stroke(main)).not.toHaveAttribute('stroke-dasharray');
        expect(stroke(main)).toHaveAttribute('stroke-opacity', '1');
      }
      for (const side of [DARK.condition.student_all, DARK.condition.cross_all]) {
        expect(stroke(side)).toHaveAttribute('stroke-dasharray', '6 5');
        expect(stroke(side)).toHaveAttribute('stroke-width', '2');
        expect(Number(stroke(side).getAttribute('stroke-opacity'))).toBeLessThan(1);
      }
      expect(svg.querySelector('.recharts-reference-line')).not.toBeNull();
    }
    expect(screen.getByText(/Same-start student, all outputs/)).toHaveTextContent('(dashed)');
  });
});
