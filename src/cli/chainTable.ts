/** A chain's generations as a text table: how the trait fades as each student teaches the next. */
import type { ConditionName, ExperimentResult } from '../experiment/results';

const SHOWN: ConditionName[] = ['teacher', 'student_aux', 'cross_aux', 'student_all'];
const mean = (values: number[] | undefined) =>
  values && values.length > 0 ? (values.reduce((a, b) => a + b, 0) / values.length).toFixed(3) : '—';

export function formatChainTable(result: ExperimentResult): string {
  if (!result.chain) return '';
  const header = `${'generation'.padEnd(10)}  ${SHOWN.map((name) => name.padStart(12)).join('')}`;
  return [
    'Chain: generation g imitates generation g − 1\'s same-init aux student (its "teacher"); test accuracy, mean over models:',
    header,
    '─'.repeat(header.length),
    ...result.chain.map(
      (generation) =>
        `${String(generation.generation).padEnd(10)}  ${SHOWN.map((name) => mean(generation.accuracy[name]).padStart(12)).join('')}`,
    ),
  ].join('\n');
}
