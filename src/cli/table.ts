/** The result as a text table with bars, like the paper's figure, for a terminal. */
import {
  CONDITION_LABELS,
  CONDITIONS,
  PAPER_ACCURACY,
  type ConditionName,
  type ExperimentResult,
  type TraitResult,
} from '../experiment/results';
import { TRAIT_SHORT } from '../experiment/trait/traits';

const BAR_WIDTH = 30;

function bar(value: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, value)) * BAR_WIDTH * 8);
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8];
  return ('█'.repeat(Math.floor(eighths / 8)) + partial).padEnd(BAR_WIDTH);
}

const fixed = (value: number | null, digits = 3) => (value === null ? '—' : value.toFixed(digits));

/** A taught trait (not 'digits', whose measure is the accuracy itself), printed beside the accuracy. */
const taughtTrait = (result: ExperimentResult): TraitResult | null =>
  result.trait && result.trait.name !== 'digits' ? result.trait : null;

/** The trait's columns: its name over "mean ±95%", one cell per condition. */
function traitColumns(trait: TraitResult | null) {
  if (!trait) return { header: '', cell: () => '' };
  const width = Math.max(TRAIT_SHORT[trait.name].length, 13);
  return {
    header: `  ${TRAIT_SHORT[trait.name].padStart(width)}`,
    cell: (name: ConditionName) => {
      const c = trait.conditions[name];
      return `  ${`${fixed(c.mean)} ±${fixed(c.ci95)}`.padStart(width)}`;
    },
  };
}

export function formatResultTable(result: ExperimentResult): string {
  const trait = taughtTrait(result);
  const traitCells = traitColumns(trait);
  const labelWidth = Math.max(...CONDITIONS.map((name) => CONDITION_LABELS[name].length));
  const header = `${'condition'.padEnd(labelWidth)}  ${'mean'.padStart(5)}  ${'±95%'.padStart(6)}  ${'paper'.padStart(5)}${traitCells.header}  ${'test accuracy'.padEnd(BAR_WIDTH)}  per model`;
  const rows = CONDITIONS.map((name) => {
    const c = result.conditions[name];
    const perModel =
      c.accuracies.length <= 12 ? c.accuracies.map((a) => a.toFixed(3)).join(' ') : `${c.accuracies.length} models`;
    return `${CONDITION_LABELS[name].padEnd(labelWidth)}  ${fixed(c.mean)}  ${`±${fixed(c.ci95)}`.padStart(6)}  ${PAPER_ACCURACY[name].toFixed(2).padStart(5)}${traitCells.cell(name)}  ${bar(c.mean)}  ${perModel}`;
  });
  const { models } = result.config;
  const footer = `${models} model${models === 1 ? '' : 's'} on ${result.backend}, ${result.seconds.toFixed(1)} s. ±95% = 1.96·sd/√n (sample sd). Chance = 0.10.`;
  const traitNote = trait ? [`Trait "${trait.name}": ${TRAIT_SHORT[trait.name]} = ${trait.measure}, mean ±95%.`] : [];
  return [header, '─'.repeat(header.length), ...rows, '', ...traitNote, footer].join('\n');
}
