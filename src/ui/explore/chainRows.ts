/**
 * A chain sweep (over m, each run with `generations` > 1) → rows of its chart: per generation, each
 * m's same-init aux student mean test accuracy. Generation 0 is the original teacher; generation g
 * the student that imitated generation g − 1 (result.chain, generation 1 first). The community's
 * chain of the paper recipe rides along as its own column. Pure.
 */
import type { ConditionName, ExperimentResult } from '../../experiment/results';
import type { SweepPoint } from '../../experiment/sweep/sweep';
import { COMMUNITY_CHAIN } from './community';
import { meanOf } from '../common/curves';

export interface ChainSeries {
  /** The sweep's value (m). */
  value: string;
  /** The row key of its accuracies. */
  key: string;
  label: string;
  /** Whether the run reported its chain (false: only generation 1 is known). */
  reported: boolean;
}

export type ChainRow = { generation: number; community?: number } & Record<string, number | undefined>;

export interface ChainData {
  series: ChainSeries[];
  rows: ChainRow[];
  /** Generations drawn: 0 (the teacher) to this. */
  generations: number;
}

const mean = (values: readonly number[] | undefined) => (values && values.length > 0 ? meanOf(values) : undefined);

/** Mean accuracy per generation, generation 0 = the original teacher. */
export function chainAccuracies(result: ExperimentResult): (number | undefined)[] {
  const chain = [...(result.chain ?? [])].sort((a, b) => a.generation - b.generation);
  const at = (generation: number, condition: ConditionName) =>
    mean(chain.find((g) => g.generation === generation)?.accuracy[condition]);
  const last = Math.max(1, ...chain.map((g) => g.generation));
  const out: (number | undefined)[] = [at(1, 'teacher') ?? result.conditions.teacher.mean];
  for (let generation = 1; generation <= last; generation++) {
    out.push(at(generation, 'student_aux') ?? (generation === 1 ? result.conditions.student_aux.mean : undefined));
  }
  return out;
}

/** `generations`: the chain length asked for, so the axis is fixed before any result. */
export function chainData(values: readonly string[], points: readonly SweepPoint[], generations: number): ChainData {
  const series = values.map((value, i): ChainSeries => {
    const result = points.find((p) => p.value === value)?.result;
    return { value, key: `m${i}`, label: `m = ${value}`, reported: !!result?.chain && result.chain.length > 0 };
  });
  const measured = values.map((value) => {
    const result = points.find((p) => p.value === value)?.result;
    return result ? chainAccuracies(result) : [];
  });
  const last = Math.max(generations, ...measured.map((accuracies) => accuracies.length - 1));
  const rows: ChainRow[] = [];
  for (let generation = 0; generation <= last; generation++) {
    const row: ChainRow = { generation };
    if (generation < COMMUNITY_CHAIN.length) row.community = COMMUNITY_CHAIN[generation];
    series.forEach((s, i) => {
      const value = measured[i][generation];
      if (value !== undefined) row[s.key] = value;
    });
    rows.push(row);
  }
  return { series, rows, generations: last };
}
