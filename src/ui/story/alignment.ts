/**
 * Distillation points → rows for the three "how the students move" charts: per point, the mean over
 * models of each student condition's update cosine and gradient cosine, and its distance to the
 * teacher relative to where it started (1 at the first point). Points without alignment are skipped.
 */
import { STUDENT_CONDITIONS, type CurvePoint, type StudentCondition } from '../../experiment/results';
import { meanOf } from '../common/curves';
import { signed } from '../common/format';

export type AlignmentRow = { epoch: number; step: number } & Partial<Record<StudentCondition, number>>;

export interface AlignmentRows {
  /** cos(student's move, teacher's move): 0 at the start. */
  updateCosine: AlignmentRow[];
  /** ‖student − teacher‖ over the same at the first point: 1 at the start, 0 = on the teacher. */
  relativeDistance: AlignmentRow[];
  /** cos(imitation gradient, digit-skill gradient). */
  gradientCosine: AlignmentRow[];
  /** Training (imitation) loss over the same at the first point that has one: 1 there, falling as it copies better. */
  relativeLoss: AlignmentRow[];
}

export type AlignmentMetric = keyof AlignmentRows;

const finiteMean = (values: readonly number[]): number | undefined => {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? meanOf(finite) : undefined;
};

function row(point: CurvePoint, values: (condition: StudentCondition) => number | undefined): AlignmentRow {
  const result: AlignmentRow = { epoch: point.epoch, step: point.step };
  for (const condition of STUDENT_CONDITIONS) {
    const value = values(condition);
    if (value !== undefined) result[condition] = value;
  }
  return result;
}

/** The rows of all three charts; empty arrays when no point was measured with alignment. */
export function alignmentRows(points: readonly CurvePoint[]): AlignmentRows {
  const measured = points.filter((point) => point.alignment !== undefined);
  // Each condition's distances at its first measured point: the "1" of its relative-distance line.
  const start: Partial<Record<StudentCondition, number[]>> = {};
  for (const point of measured) {
    for (const condition of STUDENT_CONDITIONS) {
      const distances = point.alignment!.distance[condition];
      if (start[condition] === undefined && distances && distances.length > 0) start[condition] = distances;
    }
  }
  const relative = (condition: StudentCondition, distances: readonly number[] | undefined) => {
    const first = start[condition];
    if (!distances || !first) return undefined;
    // Each model against its own start; a model that started on the teacher (d₀ = 0) has no ratio.
    return finiteMean(distances.map((d, i) => (first[i] > 0 ? d / first[i] : NaN)));
  };
  return {
    updateCosine: measured.map((p) => row(p, (c) => finiteMean(p.alignment!.updateCosine[c] ?? []))),
    relativeDistance: measured.map((p) => row(p, (c) => relative(c, p.alignment!.distance[c]))),
    gradientCosine: measured.map((p) => row(p, (c) => finiteMean(p.alignment!.gradientCosine[c] ?? []))),
    relativeLoss: relativeLossRows(measured),
  };
}

/** Each condition's mean training loss per point, over each model's loss at the first point that has one. */
function relativeLossRows(points: readonly CurvePoint[]): AlignmentRow[] {
  const withLoss = points.filter((point) => point.loss !== null);
  const first: Partial<Record<StudentCondition, number[]>> = {};
  return withLoss.map((point) =>
    row(point, (condition) => {
      const losses = point.loss![condition];
      if (!losses || losses.length === 0) return undefined;
      first[condition] ??= losses;
      const start = first[condition]!;
      return finiteMean(losses.map((loss, i) => (start[i] > 0 ? loss / start[i] : NaN)));
    }),
  );
}

/** The newest value of a condition in one chart's rows, or null before any. */
export function latestValue(rows: readonly AlignmentRow[], condition: StudentCondition): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const value = rows[i][condition];
    if (value !== undefined) return value;
  }
  return null;
}

/** A cosine with its sign, two digits; below 0.001 in size it reads as "≈ 0" (no e-notation on the page). */
export const cosine = (value: number) => (Number.isFinite(value) && Math.abs(value) < 1e-3 ? '≈ 0' : signed(value, 2));

/**
 * The caption under a cosine chart: how to read it, then what this run measured for the same-start
 * student and whether that is what the theory expects (above 0), so the caption never claims what
 * the number beside it contradicts. Null `same`: nothing measured yet, only the expectation.
 */
export function cosineCaption(metric: 'updateCosine' | 'gradientCosine', same: number | null): string {
  const read =
    metric === 'updateCosine'
      ? "Above 0 (the dashed line) means it moves in the teacher's direction, 0 means unrelated."
      : 'Above 0 (the dashed line) means each imitation step also teaches a little reading.';
  const what = metric === 'updateCosine' ? 'The same-start student is at' : "The same-start student's is";
  if (same === null || !Number.isFinite(same)) return `${read} The theory expects the same-start student above 0.`;
  if (same >= 1e-3) return `${read} ${what} ${cosine(same)}: above 0, as the theory expects.`;
  if (same > -1e-3)
    return `${read} ${what} ≈ 0: not above 0${metric === 'updateCosine' ? ' (yet)' : ''}, though the theory expects it to be.`;
  return `${read} ${what} ${cosine(same)}: below 0, not what the theory expects.`;
}
