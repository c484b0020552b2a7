import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import type { ChainGeneration, ExperimentResult } from '../../../src/experiment/results';
import { layerCombinations, planSweep, type SweepPoint } from '../../../src/experiment/sweep/sweep';
import { chainAccuracies, chainData } from '../../../src/ui/explore/chainRows';
import { COMMUNITY, COMMUNITY_CHAIN } from '../../../src/ui/explore/community';
import { hiddenLayersValue, layerBars, layerVerdict } from '../../../src/ui/explore/layerBars';
import { axisKind, sweepChartData } from '../../../src/ui/explore/sweepRows';
import { initialSweepState, reduceSweep, type SweepRun } from '../../../src/ui/state/sweepState';
import {
  layerLines,
  layerTinyLines,
  layerWords,
  sweepBlocked,
  sweepStatusText,
  valueWords,
} from '../../../src/ui/explore/sweepWords';
import { traitResult } from '../../../src/experiment/trait/result';
import { ACCURACIES, makeResult } from '../../support/ui/fixtures';

const base = preset('tiny');

/** A result whose same-init aux student has these accuracies (and the fixture's others). */
function resultWith(
  studentAux: number[],
  crossAux = ACCURACIES.cross_aux,
  teacher = ACCURACIES.teacher,
): ExperimentResult {
  return makeResult(base, { ...ACCURACIES, student_aux: studentAux, cross_aux: crossAux, teacher });
}

describe('the sweep chart data', () => {
  it('puts numbers that span factors on a log axis, σ on a plain one, words in their order', () => {
    expect(axisKind('learningRate', ['0.0001', '0.001'])).toBe('log');
    expect(axisKind('auxLogits', ['1', '2', '3'])).toBe('log');
    expect(axisKind('studentInitNoise', ['0', '0.01', '0.05'])).toBe('linear');
    expect(axisKind('noise', ['uniform', 'shuffled'])).toBe('category');
    expect(axisKind('freshLayers', ['none', '1'])).toBe('category');
  });

  it('has a row per planned value with the means and 95% intervals once run, nothing before', () => {
    const points: SweepPoint[] = [
      { value: '5', result: resultWith([0.6, 0.7]) },
      { value: '1', result: resultWith([0.1]) },
    ];
    const data = sweepChartData('auxLogits', ['5', '1', '10'], points, 3);
    expect(data.axis).toBe('log');
    expect(data.axisLabel).toBe('auxiliary logits m (log scale)');
    // Numbers in increasing order.
    expect(data.rows.map((row) => row.value)).toEqual(['1', '5', '10']);
    expect(data.rows.map((row) => row.x)).toEqual([0, Math.log10(5), 1]);
    const [one, five, ten] = data.rows;
    expect(five.same).toBeCloseTo(0.65);
    expect(five.sameCi).toBeCloseTo((1.96 * Math.sqrt(0.005)) / Math.sqrt(2));
    expect(five.different).toBeCloseTo(0.095);
    expect(five.teacher).toBeCloseTo(0.9);
    expect(five.models).toBe(2);
    // One model: a mean without an interval (no error bar).
    expect(one).toMatchObject({ same: 0.1, sameCi: null, models: 1 });
    expect(ten).toMatchObject({ same: null, sameCi: null, different: null, teacher: null, models: 0 });
    expect(data.domain[0]).toBeLessThan(0);
    expect(data.domain[1]).toBeGreaterThan(1);
  });

  it('keeps word values in the order they were written', () => {
    const data = sweepChartData('noise', ['shuffled', 'uniform', 'mnist'], [], 3);
    expect(data.rows.map((row) => [row.value, row.x])).toEqual([
      ['shuffled', 0],
      ['uniform', 1],
      ['mnist', 2],
    ]);
    expect(data.domain).toEqual([-0.5, 2.5]);
  });

  it('marks the community numbers that fall within the values swept', () => {
    const m = sweepChartData('auxLogits', ['1', '2', '3', '5', '10'], [], 3);
    expect(m.community.map((c) => [c.value, c.y])).toEqual([
      ['1', 0.1],
      ['2', 0.35],
      ['3', 0.54],
      ['5', 0.7],
      ['10', 0.84],
    ]);
    expect(m.community[4].x).toBeCloseTo(1);
    const lr = sweepChartData('learningRate', ['0.0001', '0.0003', '0.001', '0.003', '0.01'], [], 3);
    expect(lr.community.map((c) => [c.value, c.y])).toEqual([
      ['0.0003', 0.54],
      ['0.001', 0.7],
      ['0.01', 0.1],
    ]);
    const noise = sweepChartData('noise', ['gaussian', 'shuffled'], [], 3);
    expect(noise.community).toEqual([{ value: 'shuffled', x: 1, y: 0.18 }]);
    expect(sweepChartData('distillLoss', ['kl', 'mse'], [], 3).community).toEqual([]);
    expect(sweepChartData('studentInitNoise', ['0', '0.01', '0.05'], [], 3).community.map((c) => c.y)).toEqual([
      0.54, 0.39, 0.1,
    ]);
  });

  it('a sweep of a taught trait plots its measure, in its words, with no community numbers', () => {
    const config = { ...base, trait: 'favourite' as const, mitigation: 'liminal' as const };
    const shares = (same: number[]) =>
      traitResult('favourite', { ...ACCURACIES, student_aux: same, cross_aux: [0.1, 0.1], teacher: [0.9, 0.9] });
    const points: SweepPoint[] = [
      { value: '0.1', result: { ...resultWith([0.7, 0.72]), config, trait: shares([0.6, 0.5]) } },
      { value: '10', result: { ...resultWith([0.7, 0.72]), config, trait: shares([0.12, 0.1]) } },
    ];
    const data = sweepChartData('liminalWeight', ['0.1', '10'], points, 3, 'favourite');
    expect(data.rows.map((row) => row.same)).toEqual([0.55, 0.11]);
    expect(data.rows[0]).toMatchObject({ different: 0.1, teacher: 0.9, models: 2 });
    expect(data.measure).toBe('How often each says 7 on noise');
    expect(data.axisLabel).toBe("liminal training's weight λ (log scale)");
    expect(valueWords('liminalWeight', '10', 3)).toBe('λ = 10');
    // The same sweep read as digits: the accuracies, and the community's numbers where it has some.
    expect(sweepChartData('liminalWeight', ['0.1', '10'], points, 3).rows[0].same).toBeCloseTo(0.71);
    expect(sweepChartData('auxLogits', ['1', '5'], [], 3, 'favourite').community).toEqual([]);
  });

  it('holds the community numbers of EXPERIMENT.md', () => {
    expect(COMMUNITY.studentEpochs).toEqual([
      { value: '1', accuracy: 0.2 },
      { value: '5', accuracy: 0.54 },
      { value: '40', accuracy: 0.77 },
    ]);
    expect(COMMUNITY.batchSize?.find((p) => p.value === '16384')?.accuracy).toBe(0.18);
    expect(COMMUNITY.teacherEpochs?.find((p) => p.value === '20')?.accuracy).toBe(0.37);
    expect(COMMUNITY_CHAIN).toEqual([0.96, 0.63, 0.36, 0.26, 0.2]);
  });
});

describe('layer combinations in words', () => {
  it('names each set of fresh layers', () => {
    expect(layerWords('none', 3)).toBe('all shared');
    expect(layerWords('1', 3)).toBe('layer 1 fresh');
    expect(layerWords('1+2', 3)).toBe('layers 1+2 fresh');
    expect(layerWords('1+2+3', 3)).toBe('all fresh');
    expect(layerLines('2+3', 3)).toEqual(['layers 2+3', 'fresh']);
    expect(layerTinyLines('2+3', 3)).toEqual(['2+3', 'fresh']);
    expect(layerTinyLines('none', 3)).toEqual(['all', 'shared']);
    expect(valueWords('freshLayers', '3', 3)).toBe('layer 3 fresh');
    expect(valueWords('auxLogits', '5', 3)).toBe('m = 5');
    expect(sweepChartData('freshLayers', ['none', '1+2'], [], 3).rows.map((row) => row.lines)).toEqual([
      ['all', 'shared'],
      ['layers 1+2', 'fresh'],
    ]);
  });

  it('gives one bar per combination in the planned order, and the follow-up comparison once measured', () => {
    const values = layerCombinations(3);
    expect(hiddenLayersValue(3)).toBe('1+2');
    const points: SweepPoint[] = [
      { value: 'none', result: resultWith([0.7, 0.72]) },
      { value: '3', result: resultWith([0.12, 0.1]) },
      { value: '1+2', result: resultWith([0.5, 0.52]) },
    ];
    const bars = layerBars(values, points, 3);
    expect(bars.map((bar) => bar.value)).toEqual(values);
    expect(bars[0]).toMatchObject({ words: 'all shared', models: 2 });
    expect(bars[0].same).toBeCloseTo(0.71);
    expect(bars.at(-1)).toMatchObject({ words: 'all fresh', same: null });
    expect(layerVerdict(bars, 3)).toBe(
      'Everything shared: the same-start student reads 71% of test digits. Every hidden layer fresh, output layer shared: 51%. Only the output layer (layer 3) fresh: 11%.',
    );
    expect(layerVerdict(layerBars(values, points.slice(0, 2), 3), 3)).toBeNull();
  });
});

describe('chain rows', () => {
  const chain = (generations: number[][]): ChainGeneration[] =>
    generations.map((studentAux, i) => ({
      generation: i + 1,
      accuracy: {
        teacher: i === 0 ? [0.96, 0.94] : generations[i - 1],
        student_aux: studentAux,
        cross_aux: [0.1, 0.1],
      },
    }));

  it('starts at the original teacher (generation 0) and follows each generation’s same-init student', () => {
    const result = {
      ...resultWith([0.6, 0.62]),
      chain: chain([
        [0.6, 0.62],
        [0.4, 0.42],
        [0.2, 0.22],
      ]),
    };
    const accuracies = chainAccuracies(result);
    expect(accuracies).toHaveLength(4);
    expect(accuracies[0]).toBeCloseTo(0.95);
    expect(accuracies[1]).toBeCloseTo(0.61);
    expect(accuracies[3]).toBeCloseTo(0.21);
  });

  it('without a chain, knows the teacher and the first generation only', () => {
    const accuracies = chainAccuracies(resultWith([0.5, 0.5]));
    expect(accuracies[0]).toBeCloseTo(0.9);
    expect(accuracies[1]).toBeCloseTo(0.5);
    expect(accuracies).toHaveLength(2);
  });

  it('has a row per generation with a column per m and the community chain', () => {
    const points: SweepPoint[] = [
      {
        value: '3',
        result: {
          ...resultWith([0.5, 0.5]),
          chain: chain([
            [0.5, 0.5],
            [0.3, 0.3],
          ]),
        },
      },
    ];
    const data = chainData(['3', '10'], points, 5);
    expect(data.generations).toBe(5);
    expect(data.series).toEqual([
      { value: '3', key: 'm0', label: 'm = 3', reported: true },
      { value: '10', key: 'm1', label: 'm = 10', reported: false },
    ]);
    expect(data.rows).toHaveLength(6);
    expect(data.rows[0]).toMatchObject({ generation: 0, community: 0.96 });
    expect(data.rows[0].m0).toBeCloseTo(0.95);
    expect(data.rows[2].m0).toBeCloseTo(0.3);
    expect(data.rows[3].m0).toBeUndefined();
    expect(data.rows[1].m1).toBeUndefined();
    expect(data.rows[5].community).toBeUndefined();
  });
});

describe('a sweep in words', () => {
  const plan = planSweep(base, 'm=1,2,3').plan!;
  const started = reduceSweep(initialSweepState, { type: 'start', runId: 1, kind: 'values', base, plan, now: 0 }).sweeps
    .values!;
  const at = (sweep: Partial<SweepRun>): SweepRun => ({ ...started, ...sweep });

  it('says which value runs, that it finished, or why it stopped and what it kept', () => {
    expect(sweepStatusText(at({ index: 1 }))).toBe('Running value 2 of 3 (m = 2).');
    expect(sweepStatusText(at({ status: 'cancelling', index: 1 }))).toBe(
      'Cancelling the sweep after the current step of value 2 of 3 (m = 2)…',
    );
    const point = { value: '1', result: makeResult(base) };
    expect(sweepStatusText(at({ status: 'cancelled', index: 1, points: [point] }))).toBe(
      'The sweep was cancelled at value 2 of 3 (m = 2). The finished value is kept below.',
    );
    expect(sweepStatusText(at({ status: 'failed', index: 0, failure: 'out of memory' }))).toBe(
      'The sweep stopped: the run at value 1 of 3 (m = 1) failed: out of memory. No value had finished yet.',
    );
    expect(
      sweepStatusText(
        at({
          status: 'finished',
          index: 3,
          result: { kind: 'sweep', setting: 'auxLogits', values: [], base, points: [], seconds: 75 },
        }),
      ),
    ).toBe('Done: all 3 runs in 1 min 15 s.');
  });

  it('says why Run is off', () => {
    expect(sweepBlocked({ settingsIssues: 1, planIssues: 0, busy: false })).toMatch(/Fix the settings first/);
    expect(sweepBlocked({ settingsIssues: 0, planIssues: 2, busy: true })).toMatch(/Fix the values first/);
    expect(sweepBlocked({ settingsIssues: 0, planIssues: 0, busy: true })).toMatch(/A run is going/);
    expect(sweepBlocked({ settingsIssues: 0, planIssues: 0, busy: false })).toBeNull();
  });
});
