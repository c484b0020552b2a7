/** Summary of one condition across models: mean, sample sd and the 95% interval half-width 1.96·sd/√n. */
export interface Summary {
  mean: number;
  /** Sample standard deviation (n − 1); null for a single model. */
  sd: number | null;
  /** Half-width of the 95% interval, 1.96·sd/√n; null for a single model. */
  ci95: number | null;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new Error('summarize needs at least one value');
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n < 2) return { mean, sd: null, ci95: null };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const sd = Math.sqrt(variance);
  return { mean, sd, ci95: (1.96 * sd) / Math.sqrt(n) };
}
