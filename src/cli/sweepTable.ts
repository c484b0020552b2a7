/** A sweep's result as a text table: accuracy against the swept value, like the sweep figure. */
import type { ConditionName } from '../experiment/results';
import { SWEEP_SETTINGS, type SweepResult } from '../experiment/sweep/sweep';

const SHOWN: ConditionName[] = ['teacher', 'student_aux', 'cross_aux', 'student_all', 'cross_all'];
const mean = (values: number[] | undefined) =>
  (values ?? []).reduce((sum, v) => sum + v, 0) / Math.max(1, values?.length ?? 0);
const cell = (mean: number, ci95: number | null) => `${mean.toFixed(3)}${ci95 === null ? '' : ` ±${ci95.toFixed(3)}`}`;

export function formatSweepTable(result: SweepResult): string {
  const valueWidth = Math.max(5, ...result.values.map((value) => value.length));
  const header = `${'value'.padEnd(valueWidth)}  ${SHOWN.map((name) => name.padStart(14)).join('')}`;
  const rows = result.points.map(
    (point) =>
      `${point.value.padEnd(valueWidth)}  ${SHOWN.map((name) => cell(point.result.conditions[name].mean, point.result.conditions[name].ci95).padStart(14)).join('')}`,
  );
  const traitRows = result.points
    .filter((point) => point.result.trait && point.result.trait.name !== 'digits')
    .map((point) => {
      const { conditions } = point.result.trait!;
      return `${point.value.padEnd(valueWidth)}  ${SHOWN.map((name) => cell(conditions[name].mean, conditions[name].ci95).padStart(14)).join('')}`;
    });
  const trait = result.points.find((point) => point.result.trait && point.result.trait.name !== 'digits')?.result.trait;
  const models = result.base.models;
  const chains = result.points
    .filter((point) => point.result.chain)
    .map((point) => {
      const chain = point.result.chain!;
      const steps = [
        mean(chain[0].accuracy.teacher),
        ...chain.map((generation) => mean(generation.accuracy.student_aux)),
      ];
      return `${point.value.padEnd(valueWidth)}  ${steps.map((value) => value.toFixed(3)).join(' → ')}`;
    });
  return [
    `Sweep of ${SWEEP_SETTINGS[result.setting].label} (${result.setting}); test accuracy, mean ±95% over ${models} model${models === 1 ? '' : 's'}; chance = 0.10:`,
    header,
    '─'.repeat(header.length),
    ...rows,
    ...(trait
      ? ['', `Trait "${trait.name}": ${trait.measure}, mean ±95%:`, header, '─'.repeat(header.length), ...traitRows]
      : []),
    ...(chains.length > 0
      ? ['', "Chains: the teacher, then each generation's same-init aux student (mean over models):", ...chains]
      : []),
    '',
    `${result.points.length} runs, ${result.seconds.toFixed(1)} s.`,
  ].join('\n');
}
