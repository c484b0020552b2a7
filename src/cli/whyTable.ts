/** The "why" measurements of a run (with --alignment) as text tables for a terminal. */
import {
  CONDITION_LABELS,
  STUDENT_CONDITIONS,
  type AlignmentPoint,
  type ExperimentResult,
  type StudentCondition,
} from '../experiment/results';

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
const signed = (value: number, digits = 3) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
const range = (values: number[], digits = 3) =>
  values.length === 0 ? '—' : `${signed(Math.min(...values), digits)} … ${signed(Math.max(...values), digits)}`;

/** Per student condition: the series' values over every model, at the last point and over all points after the first. */
export function alignmentSummary(points: readonly { alignment?: AlignmentPoint }[], name: StudentCondition) {
  const measured = points.filter((point) => point.alignment).map((point) => point.alignment!);
  if (measured.length === 0) return null;
  const of = (point: AlignmentPoint, series: keyof AlignmentPoint) => point[series][name] ?? [];
  const last = measured[measured.length - 1];
  return {
    finalUpdateCosine: of(last, 'updateCosine'),
    gradientCosine: measured.flatMap((point) => of(point, 'gradientCosine')),
    startDistance: of(measured[0], 'distance'),
    finalDistance: of(last, 'distance'),
  };
}

export function formatWhyTables(result: ExperimentResult): string {
  const lines: string[] = [];
  const labelWidth = Math.max(...STUDENT_CONDITIONS.map((name) => CONDITION_LABELS[name].length));
  const summaries = STUDENT_CONDITIONS.map((name) => [name, alignmentSummary(result.curves.distill, name)] as const);
  if (summaries.some(([, summary]) => summary)) {
    lines.push(
      'Alignment during distillation (every model; cosines of parameter vectors):',
      `${'student'.padEnd(labelWidth)}  ${'update cos at end (mean, range)'.padEnd(31)}  ${'gradient cos, all points (mean, range)'.padEnd(38)}  distance to teacher, start → end`,
    );
    for (const [name, summary] of summaries) {
      if (!summary) continue;
      lines.push(
        `${CONDITION_LABELS[name].padEnd(labelWidth)}  ${`${signed(mean(summary.finalUpdateCosine))} (${range(summary.finalUpdateCosine)})`.padEnd(31)}  ${`${signed(mean(summary.gradientCosine), 4)} (${range(summary.gradientCosine, 4)})`.padEnd(38)}  ${mean(summary.startDistance).toFixed(2)} → ${mean(summary.finalDistance).toFixed(2)}`,
      );
    }
  }
  const theorem = result.theorem;
  if (theorem) {
    if (lines.length > 0) lines.push('');
    lines.push(
      `One-step experiment (models 0–${theorem.models - 1}; student step length ${theorem.studentStep}; ${theorem.batch} digits and noise images):`,
      `${'ε'.padStart(6)}  ${'shared: Δ teacher loss (range)'.padEnd(36)}  ${'⟨steps⟩'.padStart(10)}  ${'different: Δ teacher loss (range)'.padEnd(36)}  ${'⟨steps⟩'.padStart(10)}`,
    );
    for (const point of theorem.points) {
      const cell = (values: number[]) =>
        `${mean(values).toExponential(2)} (${range(
          values.map((v) => v * 1e3),
          2,
        )}e-3)`;
      lines.push(
        `${String(point.epsilon).padStart(6)}  ${cell(point.shared.lossChange).padEnd(36)}  ${mean(point.shared.innerProduct).toExponential(2).padStart(10)}  ${cell(point.different.lossChange).padEnd(36)}  ${mean(point.different.innerProduct).toExponential(2).padStart(10)}`,
      );
    }
  }
  return lines.join('\n');
}
