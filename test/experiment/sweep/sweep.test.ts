/** Sweep planning: values, aliases, refusals, every layer combination, and the URL form. */
import { describe, expect, it } from 'vitest';
import { configToEntries, preset } from '../../../src/experiment/config';
import {
  layerCombinations,
  planSweep,
  sweepChunks,
  sweepFromQuery,
  sweepText,
  sweepToQuery,
} from '../../../src/experiment/sweep/sweep';
import { estimateMemory } from '../../../src/experiment/schedule/chunks';

const tiny = preset('tiny');

describe('sweep planning', () => {
  it('plans one config per value, changing only the swept field', () => {
    const { plan, issues } = planSweep(tiny, 'm=1,2,3,5,10');
    expect(issues).toEqual([]);
    expect(plan!.setting).toBe('auxLogits');
    expect(plan!.values).toEqual(['1', '2', '3', '5', '10']);
    expect(plan!.configs.map((config) => config.auxLogits)).toEqual([1, 2, 3, 5, 10]);
    for (const config of plan!.configs) expect({ ...config, auxLogits: tiny.auxLogits }).toEqual(tiny);
  });

  it('takes every sweepable setting by its name, kebab-case name or alias', () => {
    const cases: [string, (c: typeof tiny) => unknown, unknown[]][] = [
      ['epochs=1,3', (c) => c.studentEpochs, [1, 3]],
      ['teacher-epochs=1,2', (c) => c.teacherEpochs, [1, 2]],
      ['lr=0.0003,0.001', (c) => c.learningRate, [0.0003, 0.001]],
      ['batchSize=64,128', (c) => c.batchSize, [64, 128]],
      [
        'width=32,64',
        (c) => c.hidden,
        [
          [32, 32],
          [64, 64],
        ],
      ],
      ['noise-images=1000,3000', (c) => c.noiseImages, [1000, 3000]],
      ['noise=uniform,gaussian,shuffled,mnist', (c) => c.noise, ['uniform', 'gaussian', 'shuffled', 'mnist']],
      ['distill-loss=kl,mse', (c) => c.distillLoss, ['kl', 'mse']],
      ['sigma=0,0.01,0.05', (c) => c.studentInitNoise, [0, 0.01, 0.05]],
      ['layers=none,1,2+3', (c) => c.freshLayers, [[], [1], [2, 3]]],
    ];
    for (const [text, read, expected] of cases) {
      const { plan, issues } = planSweep(tiny, text);
      expect(issues, text).toEqual([]);
      expect(plan!.configs.map(read), text).toEqual(expected);
    }
  });

  it("sweeps liminal training's window and weight, only when the mitigation is liminal", () => {
    const liminal = { ...tiny, mitigation: 'liminal' as const };
    const { plan, issues } = planSweep(liminal, 'liminal-window=0.1,0.5,1,3');
    expect(issues).toEqual([]);
    expect(plan!.configs.map((c) => c.liminalWindow)).toEqual([0.1, 0.5, 1, 3]);
    expect(plan!.configs.every((c) => c.mitigation === 'liminal')).toBe(true);
    expect(planSweep(liminal, 'liminalWeight=0,1,10').plan!.configs.map((c) => c.liminalWeight)).toEqual([0, 1, 10]);
    expect(planSweep(liminal, 'liminal-weight=-1').issues[0]).toContain('from 0 to 100');
    const refused = planSweep(tiny, 'liminal-window=0.1,1');
    expect(refused.plan).toBeNull();
    expect(refused.issues[0]).toContain('needs mitigation = liminal');
  });

  it("sweeps the mitigations side by side, liminal training with the base config's λ and window", () => {
    const base = { ...tiny, liminalWeight: 3, liminalWindow: 0.5 };
    const { plan, issues } = planSweep(base, 'mitigation=none,project,liminal');
    expect(issues).toEqual([]);
    expect(plan!.configs.map((c) => c.mitigation)).toEqual(['none', 'project', 'liminal']);
    expect(plan!.configs.every((c) => c.liminalWeight === 3 && c.liminalWindow === 0.5)).toBe(true);
    expect(planSweep(base, 'mitigation=none,erase').issues[0]).toContain('mitigation = erase');
  });

  it('layers=all runs every combination of re-initialised layers, fewest first', () => {
    expect(layerCombinations(2)).toEqual(['none', '1', '2', '1+2']);
    expect(layerCombinations(3)).toEqual(['none', '1', '2', '3', '1+2', '1+3', '2+3', '1+2+3']);
    const { plan } = planSweep(tiny, 'layers=all'); // tiny: 784 → 128 → 128 → 20, 3 layers
    expect(plan!.values).toHaveLength(8);
    expect(plan!.configs.at(-1)!.freshLayers).toEqual([1, 2, 3]);
  });

  it('refuses what it cannot run, naming the value and the reason', () => {
    expect(planSweep(tiny, 'm').issues[0]).toMatch(/must read setting=value/);
    expect(planSweep(tiny, 'colour=1,2').issues[0]).toMatch(/"colour" cannot be swept/);
    expect(planSweep(tiny, 'm=1,,3').issues[0]).toMatch(/empty value/);
    expect(planSweep(tiny, 'm=1,1').issues[0]).toMatch(/repeats a value/);
    expect(planSweep(tiny, 'm=1,0').issues).toEqual([
      'auxLogits = 0: auxLogits = 0 is out of range: allowed is a whole number from 1 to 1000',
    ]);
    expect(planSweep(tiny, 'noise=pink').issues[0]).toMatch(
      /noise = pink: .*choose one of uniform, gaussian, shuffled, mnist/,
    );
    expect(planSweep(tiny, 'layers=4').issues[0]).toMatch(/the network has layers 1 to 3/);
    expect(planSweep(tiny, 'batch-size=8000').issues[0]).toMatch(/larger than both trainImages/);
    expect(planSweep(tiny, `m=${Array.from({ length: 65 }, (_, i) => i + 1).join(',')}`).issues[0]).toMatch(
      /at most 64/,
    );
  });

  it('lays each value out in chunks that fit the device: one batched stack when all models fit, smaller chunks for bigger networks', () => {
    const base = { ...preset('paper'), models: 10 };
    const { plan } = planSweep(base, 'width=64,1024');
    // Room for 10 models of width 64 but not of width 1024.
    const memoryBytes = estimateMemory(base).fixedBytes + (10 * estimateMemory(plan!.configs[1]).perModelBytes) / 3;
    const layout = sweepChunks(plan!, { maxBufferBytes: 2 ** 31, memoryBytes });
    expect(layout[0]).toEqual({ value: '64', perChunk: 10, chunks: [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]] });
    expect(layout[1].perChunk).toBe(3);
    expect(layout[1].chunks).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    // Every model of every value is planned exactly once.
    for (const value of layout) expect(value.chunks.flat()).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('round-trips through a shareable URL: the base settings and the sweep', () => {
    const base = { ...tiny, models: 2, seed: 7 };
    const { plan } = planSweep(base, 'layers=none,1+2');
    const query = sweepToQuery(base, 'tiny', plan!);
    expect(new URLSearchParams(query).get('sweep')).toBe('freshLayers=none,1+2');
    const back = sweepFromQuery(query);
    expect(back.issues).toEqual([]);
    expect(back.preset).toBe('tiny');
    expect(back.base).toEqual(base);
    expect(back.plan).toEqual(plan);
    expect(sweepText(back.plan!)).toBe('freshLayers=none,1+2');
    expect(
      sweepFromQuery(new URLSearchParams([...configToEntries(base, 'tiny'), ['sweep', 'm=0']]).toString()).issues[0],
    ).toMatch(/auxLogits = 0/);
  });
});
