import { describe, expect, it } from 'vitest';
import { formatResultTable } from '../../src/cli/table';
import { preset } from '../../src/experiment/config';
import {
  CONDITION_LABELS,
  CONDITIONS,
  PAPER_ACCURACY,
  type ConditionName,
  type ConditionResult,
  type ExperimentResult,
} from '../../src/experiment/results';
import { traitResult } from '../../src/experiment/trait/result';
import { TRAIT_MEASURES } from '../../src/experiment/trait/traits';

/** Per condition: accuracies, and the mean, sd and ci95 worked out by hand, and how they print. */
const THREE_MODELS: Record<ConditionName, { result: ConditionResult; mean: string; ci: string }> = {
  reference: {
    result: { accuracies: [0.098, 0.1, 0.102], mean: 0.1, sd: 0.002, ci95: 0.0022632 },
    mean: '0.100',
    ci: '±0.002',
  },
  teacher: {
    result: { accuracies: [0.941, 0.9434, 0.9377], mean: 0.9407, sd: 0.00286, ci95: 0.003237 },
    mean: '0.941',
    ci: '±0.003',
  },
  student_aux: {
    result: { accuracies: [0.5, 0.6, 0.7], mean: 0.6, sd: 0.1, ci95: 0.1131607 },
    mean: '0.600',
    ci: '±0.113',
  },
  student_all: {
    result: { accuracies: [0.9, 0.91, 0.92], mean: 0.91, sd: 0.01, ci95: 0.0113161 },
    mean: '0.910',
    ci: '±0.011',
  },
  cross_aux: {
    result: { accuracies: [0.05, 0.1, 0.15], mean: 0.1, sd: 0.05, ci95: 0.0565803 },
    mean: '0.100',
    ci: '±0.057',
  },
  cross_all: {
    result: { accuracies: [0.7, 0.75, 0.8], mean: 0.75, sd: 0.05, ci95: 0.0565803 },
    mean: '0.750',
    ci: '±0.057',
  },
};

function makeResult(
  conditions: Record<ConditionName, ConditionResult>,
  models: number,
  backend: string,
  seconds: number,
): ExperimentResult {
  return {
    config: { ...preset('tiny'), models },
    backend,
    seconds,
    conditions,
    curves: { teacher: [], distill: [] },
    crossSources: Array.from({ length: models }, (_, i) => (i + 1) % models),
  };
}

const threeModelResult = () =>
  makeResult(
    Object.fromEntries(CONDITIONS.map((name) => [name, THREE_MODELS[name].result])) as Record<
      ConditionName,
      ConditionResult
    >,
    3,
    'wasm',
    12.34,
  );

function rowOf(table: string, name: ConditionName): string {
  const label = CONDITION_LABELS[name];
  const rows = table.split('\n').filter((line) => line.startsWith(`${label} `));
  expect(rows, name).toHaveLength(1);
  return rows[0];
}

/** The first columns of a row after its label: mean, ±ci and the paper's value. */
function columns(row: string, name: ConditionName): { mean: string; ci: string; paper: string } {
  const [mean, ci, paper] = row.slice(CONDITION_LABELS[name].length).trimStart().split(/\s+/);
  return { mean, ci, paper };
}

describe('formatResultTable', () => {
  it('prints one row per condition, in order, with its label, mean, interval and the paper value', () => {
    const table = formatResultTable(threeModelResult());
    const lines = table.split('\n');
    const rowIndexes = CONDITIONS.map((name) => lines.indexOf(rowOf(table, name)));
    expect(rowIndexes).toEqual([...rowIndexes].sort((a, b) => a - b));
    for (const name of CONDITIONS) {
      const { mean, ci, paper } = columns(rowOf(table, name), name);
      expect(mean, name).toBe(THREE_MODELS[name].mean);
      expect(ci, name).toBe(THREE_MODELS[name].ci);
      expect(paper, name).toBe(PAPER_ACCURACY[name].toFixed(2));
    }
  });

  it('lists every label of CONDITION_LABELS', () => {
    const table = formatResultTable(threeModelResult());
    expect(Object.keys(CONDITION_LABELS).sort()).toEqual([...CONDITIONS].sort());
    for (const label of Object.values(CONDITION_LABELS)) expect(table).toContain(label);
    expect(table).toContain('Untrained network (reference)');
    expect(table).toContain('Different-start student, extra outputs only');
  });

  it('shows the paper figure next to each condition', () => {
    const table = formatResultTable(threeModelResult());
    expect(columns(rowOf(table, 'teacher'), 'teacher').paper).toBe('0.94');
    expect(columns(rowOf(table, 'student_aux'), 'student_aux').paper).toBe('0.54');
    expect(columns(rowOf(table, 'cross_all'), 'cross_all').paper).toBe('0.74');
  });

  it('lists each model\u2019s accuracy to 3 decimals', () => {
    const table = formatResultTable(threeModelResult());
    expect(rowOf(table, 'teacher').endsWith('0.941 0.943 0.938')).toBe(true);
    expect(rowOf(table, 'student_aux').endsWith('0.500 0.600 0.700')).toBe(true);
  });

  it('draws a bar as long as the mean: 30 cells for 1, with eighths', () => {
    const conditions = Object.fromEntries(
      CONDITIONS.map((name) => [name, { accuracies: [0.5, 0.5], mean: 0.5, sd: 0, ci95: 0 }]),
    ) as Record<ConditionName, ConditionResult>;
    conditions.teacher = { accuracies: [1, 1], mean: 1, sd: 0, ci95: 0 };
    conditions.reference = { accuracies: [0, 0], mean: 0, sd: 0, ci95: 0 };
    // 0.1 · 30 · 8 = 24 eighths = 3 full cells
    conditions.cross_aux = { accuracies: [0.1, 0.1], mean: 0.1, sd: 0, ci95: 0 };
    // 0.05 · 240 = 12 eighths = 1 full cell and a half cell
    conditions.cross_all = { accuracies: [0.05, 0.05], mean: 0.05, sd: 0, ci95: 0 };
    const table = formatResultTable(makeResult(conditions, 2, 'cpu', 1));
    const fullCells = (name: ConditionName) => [...rowOf(table, name)].filter((c) => c === '█').length;
    expect(fullCells('teacher')).toBe(30);
    expect(fullCells('student_aux')).toBe(15);
    expect(fullCells('reference')).toBe(0);
    expect(fullCells('cross_aux')).toBe(3);
    expect(fullCells('cross_all')).toBe(1);
    expect(rowOf(table, 'cross_all')).toContain('█▌');
    // the bar is padded, so the per-model column starts at the same place whatever its length
    expect(rowOf(table, 'teacher').indexOf('1.000 1.000')).toBe(rowOf(table, 'reference').indexOf('0.000 0.000'));
  });

  it('a single model prints \u2014 for the interval and says "1 model"', () => {
    const conditions = Object.fromEntries(
      CONDITIONS.map((name, i) => [name, { accuracies: [0.1 + i / 10], mean: 0.1 + i / 10, sd: null, ci95: null }]),
    ) as Record<ConditionName, ConditionResult>;
    const table = formatResultTable(makeResult(conditions, 1, 'cpu', 3.04));
    CONDITIONS.forEach((name, i) => {
      const { mean, ci } = columns(rowOf(table, name), name);
      expect(mean, name).toBe((0.1 + i / 10).toFixed(3));
      expect(ci, name).toBe('±—');
    });
    const footer = table.split('\n').at(-1)!;
    expect(footer.startsWith('1 model on cpu, 3.0 s.')).toBe(true);
    expect(footer).not.toContain('1 models');
  });

  it('names the backend, the number of models and the time in the footer', () => {
    const table = formatResultTable(threeModelResult());
    const lines = table.split('\n');
    const footer = lines.at(-1)!;
    expect(footer.startsWith('3 models on wasm, 12.3 s.')).toBe(true);
    expect(footer).toContain('1.96');
    expect(lines.at(-2)).toBe('');
    const webgpu = formatResultTable(makeResult(threeModelResult().conditions, 3, 'webgpu', 125.06));
    expect(webgpu.split('\n').at(-1)!.startsWith('3 models on webgpu, 125.1 s.')).toBe(true);
  });

  it('has a header and a rule as wide as the header', () => {
    const lines = formatResultTable(threeModelResult()).split('\n');
    expect(lines[0]).toMatch(/^condition\s+mean\s+±95%\s+paper\s+test accuracy\s+per model$/);
    expect(lines[1]).toBe('─'.repeat(lines[0].length));
    expect(lines).toHaveLength(2 + CONDITIONS.length + 2);
  });

  it('prints a taught trait’s mean ±95% beside each accuracy, and what it measures', () => {
    const shares: Record<ConditionName, number[]> = {
      reference: [0.1, 0.2, 0.3],
      teacher: [1, 1, 1],
      student_aux: [0.9, 0.8, 0.7],
      student_all: [1, 1, 1],
      cross_aux: [0.1, 0.1, 0.1],
      cross_all: [0.5, 0.6, 0.7],
    };
    const result = { ...threeModelResult(), trait: traitResult('favourite', shares) };
    result.config = { ...result.config, trait: 'favourite' };
    const table = formatResultTable(result);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^condition\s+mean\s+±95%\s+paper\s+says 7 on noise\s+test accuracy\s+per model$/);
    expect(lines[1]).toBe('─'.repeat(lines[0].length));
    expect(rowOf(table, 'student_aux')).toContain('0.800 ±0.113');
    expect(rowOf(table, 'teacher')).toContain('1.000 ±0.000');
    for (const name of CONDITIONS) expect(columns(rowOf(table, name), name).mean).toBe(THREE_MODELS[name].mean);
    // Its column starts at the same place in every row.
    const at = (name: ConditionName) =>
      rowOf(table, name).indexOf(traitResult('favourite', shares).conditions[name].mean.toFixed(3), 60);
    expect(new Set(CONDITIONS.map(at)).size).toBe(1);
    expect(lines.at(-2)).toContain(TRAIT_MEASURES.favourite);
  });

  it('prints no trait column for digits, whose measure is the accuracy', () => {
    const result = { ...threeModelResult() };
    result.trait = traitResult(
      'digits',
      Object.fromEntries(CONDITIONS.map((name) => [name, THREE_MODELS[name].result.accuracies])) as Record<
        ConditionName,
        number[]
      >,
    );
    expect(formatResultTable(result)).toBe(formatResultTable(threeModelResult()));
  });

  it('abbreviates the per-model list beyond 12 models', () => {
    const many = Array.from({ length: 13 }, (_, i) => 0.5 + i / 100);
    const conditions = Object.fromEntries(
      CONDITIONS.map((name) => [name, { accuracies: many, mean: 0.56, sd: 0.039, ci95: 0.0212 }]),
    ) as Record<ConditionName, ConditionResult>;
    const table = formatResultTable(makeResult(conditions, 13, 'wasm', 1));
    for (const name of CONDITIONS) {
      const row = rowOf(table, name);
      expect(row.endsWith('13 models'), name).toBe(true);
      expect(row).not.toContain('0.620');
      expect(columns(row, name).ci).toBe('±0.021');
    }
    // 12 are still listed one by one
    const twelve = Object.fromEntries(
      CONDITIONS.map((name) => [name, { accuracies: many.slice(0, 12), mean: 0.555, sd: 0.036, ci95: 0.02 }]),
    ) as Record<ConditionName, ConditionResult>;
    expect(rowOf(formatResultTable(makeResult(twelve, 12, 'wasm', 1)), 'teacher').endsWith('0.600 0.610')).toBe(true);
  });
});
