/** Live curve points → rows a line chart can draw, and the newest predictions for the pictures. */
import type { ConditionName, CurvePoint } from '../../experiment/results';

export type CurveRow = { epoch: number; step: number } & Record<string, number>;

/** Thin per-model lines are drawn for at most this many models (a chart of 1000 lines helps no one). */
export const MAX_MODEL_LINES = 10;

export function meanOf(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export const modelKey = (condition: ConditionName, model: number) => `${condition}#${model}`;

/** What a curve row shows of a point: each model's number for a condition (its accuracies by default). */
export type PointValues = (point: CurvePoint, condition: ConditionName) => readonly number[] | undefined;

const accuracies: PointValues = (point, condition) => point.accuracy[condition];

/**
 * One row per point: the mean of each condition under its name, each model's under `name#i`; of
 * the models' accuracies, or of what `read` takes from the point (a trait's measure).
 */
export function curveRows(
  points: readonly CurvePoint[],
  conditions: readonly ConditionName[],
  modelLines = MAX_MODEL_LINES,
  read: PointValues = accuracies,
): CurveRow[] {
  return points.map((point) => {
    const row: CurveRow = { epoch: point.epoch, step: point.step };
    for (const condition of conditions) {
      const values = read(point, condition);
      if (!values || values.length === 0) continue;
      row[condition] = meanOf(values);
      values.slice(0, modelLines).forEach((value, i) => (row[modelKey(condition, i)] = value));
    }
    return row;
  });
}

/** How many models a condition has in these points (0 when none). */
export function modelCount(points: readonly CurvePoint[], condition: ConditionName): number {
  return points.find((point) => point.accuracy[condition])?.accuracy[condition]?.length ?? 0;
}

/** Model 0's newest predictions on the sample digits for this condition, or null before the first point. */
export function latestPredictions(points: readonly CurvePoint[], condition: ConditionName): number[] | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const predictions = points[i].predictions[condition];
    if (predictions) return predictions;
  }
  return null;
}

/** The newest mean accuracy of a condition, or null before the first point. */
export function latestAccuracy(points: readonly CurvePoint[], condition: ConditionName): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const values = points[i].accuracy[condition];
    if (values && values.length > 0) return meanOf(values);
  }
  return null;
}
