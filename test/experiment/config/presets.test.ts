/** The presets: the paper's recipe, smaller ones, and fresh copies. */
import { describe, expect, it } from 'vitest';
import { ADAM, assertValidConfig, isPresetName, preset, PRESETS, validateConfig } from '../../../src/experiment/config';
import { ALL_FIELDS, PRESET_NAMES } from './names';

describe('presets', () => {
  it('paper is the authors\u2019 recipe, field for field', () => {
    const paper = preset('paper');
    expect(paper).toMatchObject({
      models: 10,
      auxLogits: 3,
      hidden: [256, 256],
      teacherEpochs: 5,
      trainImages: 60000,
      studentEpochs: 5,
      noiseImages: 60000,
      noise: 'uniform',
      distillLoss: 'kl',
      learningRate: 3e-4,
      batchSize: 1024,
    });
    expect(PRESETS.paper).toEqual(paper);
    expect(ADAM).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });

  it('every preset has exactly the config fields and passes validateConfig', () => {
    for (const name of PRESET_NAMES) {
      const config = preset(name);
      expect(Object.keys(config).sort(), name).toEqual([...ALL_FIELDS].sort());
      expect(validateConfig(config), name).toEqual([]);
      expect(() => assertValidConfig(config)).not.toThrow();
    }
  });

  it('quick and tiny are smaller than paper', () => {
    for (const name of ['quick', 'tiny'] as const) {
      const config = preset(name);
      expect(config.models).toBeLessThan(PRESETS.paper.models);
      expect(config.trainImages * config.teacherEpochs).toBeLessThan(
        PRESETS.paper.trainImages * PRESETS.paper.teacherEpochs,
      );
      expect(config.noiseImages * config.studentEpochs).toBeLessThan(
        PRESETS.paper.noiseImages * PRESETS.paper.studentEpochs,
      );
    }
  });

  it('preset() returns a fresh copy each time', () => {
    for (const name of PRESET_NAMES) {
      const before = structuredClone(PRESETS[name]);
      const a = preset(name);
      const b = preset(name);
      expect(a).not.toBe(PRESETS[name]);
      expect(a).not.toBe(b);
      expect(a.hidden).not.toBe(PRESETS[name].hidden);
      expect(a.hidden).not.toBe(b.hidden);
      a.hidden.push(999);
      a.hidden[0] = 1;
      a.models = 777;
      a.noise = 'gaussian';
      expect(PRESETS[name]).toEqual(before);
      expect(preset(name)).toEqual(before);
      expect(b).toEqual(before);
    }
  });

  it('isPresetName knows exactly the presets', () => {
    for (const name of PRESET_NAMES) expect(isPresetName(name)).toBe(true);
    for (const name of ['', 'Paper', 'fast', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(isPresetName(name), name).toBe(false);
    }
  });
});
