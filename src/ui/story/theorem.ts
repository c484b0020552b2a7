/**
 * The one-step experiment as data for its stage: per ε the mean over models of each start's loss
 * change, inner product and cosine; a signed log scale for the loss change (small and large values
 * of either sign on one axis); and the two sentences that say what was measured. Pure, no React.
 */
import type { TheoremOutcome, TheoremResult } from '../../experiment/results';
import { meanOf } from '../common/curves';
import { signed, stepSize } from '../common/format';

export type Start = 'shared' | 'different';
export const STARTS: readonly Start[] = ['shared', 'different'];

export interface OutcomeMeans {
  lossChange: number;
  innerProduct: number;
  cosine: number;
  /** Every model's own loss change, in model order. */
  lossChanges: number[];
}

export interface TheoremPoint {
  epsilon: number;
  shared: OutcomeMeans;
  different: OutcomeMeans;
}

function means(outcome: TheoremOutcome): OutcomeMeans {
  return {
    lossChange: meanOf(outcome.lossChange),
    innerProduct: meanOf(outcome.innerProduct),
    cosine: meanOf(outcome.cosine),
    lossChanges: outcome.lossChange,
  };
}

/** The measured points, smallest ε first, each start averaged over models. */
export function theoremPoints(result: TheoremResult): TheoremPoint[] {
  return [...result.points]
    .filter((point) => point.epsilon > 0 && point.shared.lossChange.length > 0 && point.different.lossChange.length > 0)
    .sort((a, b) => a.epsilon - b.epsilon)
    .map((point) => ({ epsilon: point.epsilon, shared: means(point.shared), different: means(point.different) }));
}

// ---- the signed log scale -------------------------------------------------------------------

/**
 * A symmetric log ("symlog") scale: y = sign(v)·log10(1 + 9|v|/c), so 0, c, 10c, 100c… sit at
 * 0, 1, 1.96, 2.95…: nearly evenly spaced labels, linear close to 0 and logarithmic beyond c, so
 * −0.001 and +2 can share an axis. c is a power of ten.
 */
export interface Symlog {
  constant: number;
  /** Raw value → axis position. */
  forward(value: number): number;
  /** Axis position → raw value. */
  inverse(position: number): number;
  /** Raw values to label: 0 and ±c·10^k, covering every value. */
  ticks: number[];
  /** The axis range, in positions. */
  domain: [number, number];
}

/** At most this many decades between the smallest and the largest value drawn. */
const MAX_DECADES = 4;

/** A power of ten at or below the smallest nonzero |value|, but never more than MAX_DECADES below the largest. */
export function symlogConstant(values: readonly number[]): number {
  const sizes = values
    .filter(Number.isFinite)
    .map(Math.abs)
    .filter((v) => v > 0);
  if (sizes.length === 0) return 1;
  const floor = Math.max(Math.min(...sizes), Math.max(...sizes) * 10 ** -MAX_DECADES);
  return 10 ** Math.floor(Math.log10(floor));
}

/** The smallest c·10^k at or above `size` (c when size ≤ c). */
function decadeAbove(size: number, constant: number): number {
  return size <= constant ? constant : constant * 10 ** Math.ceil(Math.log10(size / constant) - 1e-9);
}

export function symlogScale(values: readonly number[]): Symlog {
  const c = symlogConstant(values);
  const forward = (v: number) => Math.sign(v) * Math.log10(1 + (9 * Math.abs(v)) / c);
  const inverse = (y: number) => (Math.sign(y) * c * (10 ** Math.abs(y) - 1)) / 9;
  const finite = values.filter(Number.isFinite);
  // Each side reaches at least ±c, so zero never sits on the chart's edge.
  const top = decadeAbove(Math.max(0, ...finite), c);
  const bottom = decadeAbove(Math.max(0, ...finite.map((v) => -v)), c);
  const decades = (end: number) => {
    const list: number[] = [];
    for (let k = 0; c * 10 ** k <= end * (1 + 1e-9); k++) list.push(Number((c * 10 ** k).toPrecision(1)));
    // Too many labels for a small chart: every other decade, always keeping the outermost.
    return list.length > 4 ? list.filter((_, i) => (list.length - 1 - i) % 2 === 0) : list;
  };
  const ticks = [
    ...decades(bottom)
      .map((v) => -v)
      .reverse(),
    0,
    ...decades(top),
  ];
  return { constant: c, forward, inverse, ticks, domain: [forward(-bottom), forward(top)] };
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** A tick of the signed log axis: 0, +0.01, −10⁻⁵ (a power of ten as a power, not in e-notation). */
export function symlogTick(value: number): string {
  if (value === 0) return '0';
  const size = Math.abs(value);
  const sign = value < 0 ? '−' : '+';
  if (size >= 1e-3 && size < 1e4) return `${sign}${Number(size.toPrecision(1)).toString()}`;
  const [digit, exponent] = size.toExponential(0).split('e');
  const power = `10${[...String(Number(exponent))].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
  return `${sign}${digit === '1' ? '' : `${digit}×`}${power}`;
}

// ---- the x axis: ε on a log scale ---------------------------------------------------------------

/** Whole decades of ε (as log10) spanning the points: the x axis's domain and ticks. */
export function epsilonDecades(points: readonly TheoremPoint[]): number[] {
  if (points.length === 0) return [-3, -2, -1, 0];
  const logs = points.map((p) => Math.log10(p.epsilon));
  let low = Math.floor(Math.min(...logs) + 1e-9);
  let high = Math.ceil(Math.max(...logs) - 1e-9);
  if (low === high) [low, high] = [low - 1, high + 1];
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

export const epsilonTick = (log: number) => stepSize(10 ** log);

// ---- the sentences ----------------------------------------------------------------------------

/** The point nearest ε = 0.01 (on a log scale): small, but well above rounding. */
export function referencePoint(points: readonly TheoremPoint[]): TheoremPoint | null {
  if (points.length === 0) return null;
  const distance = (p: TheoremPoint) => Math.abs(Math.log10(p.epsilon) + 2);
  return points.reduce((best, p) => (distance(p) < distance(best) ? p : best));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The plain sentence for the same start: did one step of copying make the student better at digits? */
export function sharedPlain(points: readonly TheoremPoint[]): string {
  if (points.length === 0) return '';
  const fell = points.filter((p) => p.shared.lossChange < 0).length;
  const start = 'From the same start, one small step of copying the teacher on noise';
  if (fell === points.length)
    return `${start} made the student better at the teacher's digits, at every step size tried.`;
  if (fell === 0) return `${start} did not make the student better at digits, at any step size tried.`;
  return `${start} made the student better at digits at ${fell} of the ${points.length} step sizes tried.`;
}

/** The plain sentence for a different start: mixed, helped (and why that is not the teacher's skill), or hurt. */
export function differentPlain(points: readonly TheoremPoint[]): string {
  const ref = referencePoint(points);
  if (!ref) return '';
  const changes = points.flatMap((p) => p.different.lossChanges).filter(Number.isFinite);
  const fell = changes.filter((v) => v < 0).length;
  if (fell > 0 && fell < changes.length)
    return 'From a different start it went either way: better for some models and step sizes, worse for others.';
  if (fell === 0) return 'From a different start it made the student worse at digits.';
  const ratio =
    ref.shared.lossChange < 0 && ref.different.lossChange < 0 ? ref.shared.lossChange / ref.different.lossChange : null;
  const less = ratio !== null && ratio > 1.5 ? `, about ${ratio.toFixed(0)}× less` : '';
  const rightAngles = Math.abs(ref.different.cosine) < 0.25 * Math.abs(ref.shared.cosine);
  return rightAngles
    ? `From a different start it helped a little too${less}, but not by copying what the teacher learnt: its step pointed elsewhere.`
    : `From a different start it helped too${less}; the theorem neither promises nor rules that out.`;
}

/** "From the same start, …": how often the shared start's mean loss change was negative, with the numbers at the reference ε. */
export function sharedSentence(points: readonly TheoremPoint[]): string {
  const ref = referencePoint(points);
  if (!ref) return '';
  const fell = points.filter((p) => p.shared.lossChange < 0).length;
  const where =
    fell === points.length
      ? points.length === 1
        ? 'at the one ε tested'
        : `at every one of the ${points.length} ε values tested`
      : fell === 0
        ? `at any of the ${points.length} ε values tested`
        : `at ${fell} of the ${points.length} ε values tested`;
  const verb = fell === 0 ? 'did not lower' : 'lowered';
  return (
    `From the same start, one imitation step on noise ${verb} the teacher's digit loss ${where} ` +
    `(change ${signed(ref.shared.lossChange)} at ε = ${stepSize(ref.epsilon)}; the two steps' inner product was ` +
    `${signed(ref.shared.innerProduct)}, their cosine ${signed(ref.shared.cosine)}).`
  );
}

/** "From a different start, …": the sign of every model's loss change, which need not agree. */
export function differentSentence(points: readonly TheoremPoint[]): string {
  const ref = referencePoint(points);
  if (!ref) return '';
  const changes = points.flatMap((p) => p.different.lossChanges).filter(Number.isFinite);
  const fell = changes.filter((v) => v < 0).length;
  const low = Math.min(...changes);
  const high = Math.max(...changes);
  const range = `from ${signed(low)} to ${signed(high)}`;
  const atRef = `${signed(ref.different.lossChange)} on average at ε = ${stepSize(ref.epsilon)}, cosine ${signed(ref.different.cosine)}`;
  const pairs = plural(changes.length, 'model–ε pair');
  if (fell > 0 && fell < changes.length) {
    return `From a different start the change had no consistent sign: the loss fell for ${fell} of ${pairs} and rose for the rest (${range}; ${atRef}).`;
  }
  if (fell === changes.length) {
    // Measured on the quick preset: it falls for every model, by a sixth as much, with the steps at
    // right angles: a generic effect of imitation on untrained weights, not the teacher's skill.
    const ratio =
      ref.shared.lossChange < 0 && ref.different.lossChange < 0
        ? ref.shared.lossChange / ref.different.lossChange
        : null;
    const less = ratio !== null && ratio > 1.5 ? `, ${ratio.toFixed(0)}× less than from the same start` : '';
    const rightAngles = Math.abs(ref.different.cosine) < 0.25 * Math.abs(ref.shared.cosine);
    const why = rightAngles
      ? "The theorem does not promise this: the student's step was about at right angles to the teacher's, so this fall does not come from copying what the teacher learnt."
      : 'The theorem does not promise this, nor rule it out.';
    return `From a different start the loss fell too, for all ${pairs}${less} (${range}; ${atRef}). ${why}`;
  }
  return `From a different start the loss rose for all ${pairs} (${range}; ${atRef}): imitation from other weights made the student worse at the teacher's task.`;
}
