// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NetworkDiagram } from '../../../src/ui/story/NetworkDiagram';
import { TeacherStage } from '../../../src/ui/story/TeacherStage';
import { StudentStage } from '../../../src/ui/story/StudentStage';
import { LIGHT } from '../../../src/ui/common/palette';

const sizes = () => screen.getAllByTestId('net-size').map((element) => element.textContent);

describe('the network drawn', () => {
  it('draws 784 → each hidden layer → 10 + m from the config, as an image with a description', () => {
    render(<NetworkDiagram hidden={[256, 128, 64]} auxLogits={7} />);
    expect(sizes()).toEqual(['784', '256', '128', '64', '10', '7']);
    const image = screen.getByRole('img');
    expect(image.tagName.toLowerCase()).toBe('svg');
    expect(image).toHaveAccessibleName(
      /784 pixel inputs, hidden layers of 256, 128, 64 units, and 10 digit outputs plus m = 7 extra outputs, never trained/,
    );
    // Scales with width, never taller than 160 px.
    expect(image).toHaveAttribute('width', '100%');
    expect(Number(image.getAttribute('height'))).toBeLessThanOrEqual(160);
  });

  it('marks the m auxiliary outputs in their own colour and says they are never trained', () => {
    render(<NetworkDiagram hidden={[16]} auxLogits={3} highlight="teacher" />);
    expect(sizes()).toEqual(['784', '16', '10', '3']);
    const aux = screen.getByTestId('net-aux');
    expect(aux).toHaveClass('net-aux');
    expect(aux).not.toHaveClass('trained');
    const image = screen.getByRole('img');
    expect(within(image as unknown as HTMLElement).getByText('m = 3 extra outputs')).toBeInTheDocument();
    expect(within(image as unknown as HTMLElement).getByText('never trained')).toBeInTheDocument();
    expect(within(image as unknown as HTMLElement).getByText('trained on digits')).toBeInTheDocument();
    expect(image.querySelector('.net-digits')).toHaveClass('trained');
    expect(image.querySelector('.net-fan-digits')).not.toBeNull();
    expect(image.querySelector('.net-fan-aux')).toBeNull();
  });

  it('for the students marks the aux outputs as the ones trained, on noise, and says which start is shared', () => {
    const { container } = render(<NetworkDiagram hidden={[256, 256]} auxLogits={1} highlight="student" />);
    const image = screen.getByRole('img');
    expect(within(image as unknown as HTMLElement).getByText('m = 1 extra output')).toBeInTheDocument();
    expect(within(image as unknown as HTMLElement).getByText('copied on noise')).toBeInTheDocument();
    expect(screen.getByTestId('net-aux')).toHaveClass('trained');
    expect(image.querySelector('.net-digits')).not.toHaveClass('trained');
    expect(image.querySelector('.net-fan-aux')).not.toBeNull();
    expect(image).toHaveAccessibleName(
      /same-start student starts from the teacher's initial weights; the different-start one from another model's/,
    );
    expect(container.querySelector('figcaption')).toHaveTextContent(
      "Same-start student: starts from the teacher's own initial weights. Different-start student: from another model's.",
    );
  });

  it('is drawn by the teacher and student stages when the page passes the shape, and not otherwise', () => {
    const teacher = render(
      <TeacherStage points={[]} digits={null} epochs={2} auxLogits={5} hidden={[32, 32]} palette={LIGHT} />,
    );
    expect(sizes()).toEqual(['784', '32', '32', '10', '5']);
    expect(teacher.container.querySelector('.network-diagram')).toHaveAttribute('data-highlight', 'teacher');
    teacher.unmount();
    const student = render(
      <StudentStage
        points={[]}
        digits={null}
        featured="student_aux"
        epochs={1}
        hidden={[32]}
        auxLogits={5}
        palette={LIGHT}
      />,
    );
    expect(student.container.querySelector('.network-diagram')).toHaveAttribute('data-highlight', 'student');
    student.unmount();
    const bare = render(<TeacherStage points={[]} digits={null} epochs={2} auxLogits={5} palette={LIGHT} />);
    expect(bare.container.querySelector('.network-diagram')).toBeNull();
  });
});
