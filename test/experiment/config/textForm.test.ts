/** A whole config as key/value text: round trips, overrides, unknown, bad and repeated keys. */
import { describe, expect, it } from 'vitest';
import {
  CONFIG_KEYS,
  configFromEntries,
  configFromQuery,
  configToEntries,
  configToQuery,
  type ExperimentConfig,
  FIELDS,
  preset,
  PRESETS,
} from '../../../src/experiment/config';
import { ALL_FIELDS, PRESET_NAMES } from './names';

describe('text form: writing', () => {
  it('a preset as it is becomes just its name', () => {
    for (const name of PRESET_NAMES) {
      expect(configToEntries(preset(name), name)).toEqual([['preset', name]]);
      expect(configToQuery(preset(name), name)).toBe(`preset=${name}`);
    }
  });

  it('round-trips every preset through the query, also relative to another preset', () => {
    for (const name of PRESET_NAMES) {
      for (const relativeTo of PRESET_NAMES) {
        const query = configToQuery(preset(name), relativeTo);
        const back = configFromQuery(query);
        expect(back.issues, query).toEqual([]);
        expect(back.preset).toBe(relativeTo);
        expect(back.config, query).toEqual(preset(name));
      }
    }
  });

  it('round-trips a modified config and lists only what differs', () => {
    const config: ExperimentConfig = {
      ...preset('quick'),
      hidden: [64, 32, 16],
      learningRate: 0.001,
      noise: 'gaussian',
      distillLoss: 'mse',
      seed: 4294967295,
      models: 7,
    };
    // learningRate 0.001 is quick's own value, so it is not listed
    expect(configToEntries(config, 'quick')).toEqual([
      ['preset', 'quick'],
      ['models', '7'],
      ['hidden', '64,32,16'],
      ['noise', 'gaussian'],
      ['distillLoss', 'mse'],
      ['seed', '4294967295'],
    ]);
    // relative to paper, learningRate differs and is listed
    expect(configToEntries(config, 'paper')).toContainEqual(['learningRate', '0.001']);
    // curvePoints is 20 in both quick and paper, so it is never listed
    expect(configToEntries(config, 'paper').map(([key]) => key)).not.toContain('curvePoints');

    for (const name of PRESET_NAMES) {
      const query = configToQuery(config, name);
      const back = configFromQuery(query);
      expect(back.issues, query).toEqual([]);
      expect(back.preset).toBe(name);
      expect(back.config, query).toEqual(config);
    }
  });

  it('round-trips awkward numbers exactly', () => {
    const config: ExperimentConfig = {
      ...preset('paper'),
      learningRate: 1e-7,
      seed: 0,
      hidden: [4096, 1, 4096, 1, 4096, 1],
      curvePoints: 0,
    };
    const back = configFromQuery(configToQuery(config, 'tiny'));
    expect(back.issues).toEqual([]);
    expect(back.config).toEqual(config);
    const lr = configFromQuery(configToQuery({ ...config, learningRate: 0.1 + 0.2 }, 'paper'));
    expect(lr.config.learningRate).toBe(0.1 + 0.2);
  });

  it('a hidden list that differs only in length is listed', () => {
    expect(configToEntries({ ...preset('paper'), hidden: [256] }, 'paper')).toEqual([
      ['preset', 'paper'],
      ['hidden', '256'],
    ]);
    expect(configToEntries({ ...preset('paper'), hidden: [256, 256, 256] }, 'paper')).toEqual([
      ['preset', 'paper'],
      ['hidden', '256,256,256'],
    ]);
  });
});

describe('text form: reading', () => {
  it('reads a query: preset first, then overrides, whatever the order', () => {
    const { config, preset: name, issues } = configFromQuery('models=2&preset=tiny&hidden=64%2C32&noise=gaussian&lr=1');
    expect(name).toBe('tiny');
    expect(config).toEqual({ ...preset('tiny'), models: 2, hidden: [64, 32], noise: 'gaussian' });
    // `lr` is a CLI alias, not a setting of the text form
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toContain('"lr" is not a setting');
  });

  it('defaults to paper with no preset given, and accepts spaces around values', () => {
    const {
      config,
      preset: name,
      issues,
    } = configFromEntries([
      ['hidden', ' 64 , 32 '],
      ['models', ' 3 '],
      ['distillLoss', ' mse '],
    ]);
    expect(issues).toEqual([]);
    expect(name).toBe('paper');
    expect(config).toEqual({ ...preset('paper'), hidden: [64, 32], models: 3, distillLoss: 'mse' });
  });

  it('reports unknown keys and leaves the config alone', () => {
    const { config, issues } = configFromEntries([
      ['preset', 'quick'],
      ['modles', '3'],
      ['aux-logits', '5'],
    ]);
    expect(config).toEqual(preset('quick'));
    expect(issues).toHaveLength(2);
    expect(issues[0].message).toContain('"modles" is not a setting');
    expect(issues[1].message).toContain('"aux-logits" is not a setting');
    for (const issue of issues) expect(issue.message).toContain(CONFIG_KEYS.join(', '));
  });

  // Object.prototype's members must not pass for settings (`?toString=5` once set config.toString).
  it('reports inherited Object members (toString, constructor, hasOwnProperty) as unknown keys', () => {
    for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      const { config, issues } = configFromEntries([[key, '5']]);
      expect(issues, key).toHaveLength(1);
      expect(issues[0].message, key).toContain(`"${key}" is not a setting`);
      expect(Object.keys(config).sort(), key).toEqual([...ALL_FIELDS].sort());
    }
  });

  it('reports an unknown preset and falls back to paper', () => {
    const { config, preset: name, issues } = configFromQuery('preset=huge&models=2');
    expect(name).toBe('paper');
    expect(config).toEqual({ ...preset('paper'), models: 2 });
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe('preset');
    expect(issues[0].message).toContain('huge');
    expect(issues[0].message).toContain('paper, quick, tiny');
  });
});

describe('text form: refusing bad values', () => {
  it('reports values that are not numbers, keeping the preset\u2019s value', () => {
    const { config, issues } = configFromEntries([
      ['preset', 'tiny'],
      ['models', 'abc'],
      ['seed', ''],
      ['learningRate', '1e-3x'],
      ['hidden', '64,x'],
      ['auxLogits', '5'],
    ]);
    expect(config).toEqual({ ...preset('tiny'), auxLogits: 5 });
    expect(issues.map((issue) => issue.field)).toEqual(['models', 'seed', 'learningRate', 'hidden']);
    expect(issues[0].message).toContain('models = "abc" is not a number');
    expect(issues[1].message).toContain('seed');
    expect(issues[1].message).toContain('not a number');
    expect(issues[2].message).toContain('"1e-3x"');
    expect(issues[3].message).toContain('hidden = "64,x" is not a comma-separated list of whole numbers');
  });

  it('refuses negative or fractional widths in hidden', () => {
    for (const text of ['-64', '64,-1', '64.5', '', '64,,32']) {
      const { config, issues } = configFromEntries([['hidden', text]]);
      expect(issues, text).toHaveLength(1);
      expect(issues[0].field).toBe('hidden');
      expect(config.hidden).toEqual([256, 256]);
    }
  });

  it('refuses out-of-range values field by field, keeping the preset\u2019s value and accepting the rest', () => {
    for (const name of PRESET_NAMES) {
      for (const field of ALL_FIELDS) {
        const spec = FIELDS[field];
        const badText =
          spec.kind === 'choice'
            ? 'nonsense'
            : spec.kind === 'intList'
              ? `64,${spec.max + 1}`
              : String(spec.kind === 'number' ? spec.max * 10 : spec.max + 1);
        // one other field changed to a valid, non-preset value
        const other: keyof ExperimentConfig = field === 'seed' ? 'models' : 'seed';
        const otherText = other === 'seed' ? '12345' : '2';
        const {
          config,
          preset: got,
          issues,
        } = configFromEntries([
          ['preset', name],
          [field, badText],
          [other, otherText],
        ]);
        const label = `${name}: ${field}=${badText}`;
        expect(got).toBe(name);
        expect(issues, label).toHaveLength(1);
        expect(issues[0].field, label).toBe(field);
        expect(issues[0].message, label).toContain(field);
        expect(issues[0].message, label).toContain(badText);
        expect(config[field], label).toEqual(PRESETS[name][field]);
        expect(config[other], label).toBe(Number(otherText));
      }
    }
  });
});

describe('text form: batches and repeated keys', () => {
  it('refuses a batch that the images cannot fill, keeping the preset batch', () => {
    const { config, issues } = configFromQuery('preset=tiny&trainImages=100&noiseImages=200&batchSize=201&models=5');
    expect(config.trainImages).toBe(100);
    expect(config.noiseImages).toBe(200);
    expect(config.models).toBe(5);
    expect(config.batchSize).toBe(64);
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe('batchSize');
    expect(issues[0].message).toContain('201');
  });

  it('a batch that is fine before the image counts shrink is still reported', () => {
    // paper's batch of 1024 becomes too large once both image counts are 100
    const { config, issues } = configFromQuery('trainImages=100&noiseImages=100');
    expect(config.trainImages).toBe(100);
    expect(config.noiseImages).toBe(100);
    expect(issues.map((issue) => issue.field)).toEqual(['batchSize']);
    expect(issues[0].message).toContain('1024');
    // ...and setting a batch that fits clears it, in any order
    for (const query of [
      'trainImages=100&noiseImages=100&batchSize=100',
      'batchSize=100&trainImages=100&noiseImages=100',
    ]) {
      const fixed = configFromQuery(query);
      expect(fixed.issues, query).toEqual([]);
      expect(fixed.config.batchSize).toBe(100);
    }
  });

  // Which of two values did the link's author mean? Neither is used; the key is named with both.
  it('names a repeated key with its values and uses neither', () => {
    for (const query of ['models=2&models=3', 'models=2&models=0', 'preset=tiny&models=2&models=2']) {
      const { config, issues } = configFromQuery(query);
      expect(config.models, query).toBe(
        query.startsWith('preset=tiny') ? preset('tiny').models : preset('paper').models,
      );
      expect(
        issues.map((issue) => issue.field),
        query,
      ).toEqual(['models']);
      expect(issues[0].message, query).toMatch(/^models is given 2 times \("\d", "\d"\): give it once$/);
    }
    const presets = configFromQuery('preset=tiny&preset=quick');
    expect(presets.preset).toBe('paper');
    expect(presets.issues.map((issue) => issue.message)).toEqual([
      'preset is given 2 times ("tiny", "quick"): give it once',
    ]);
    // page keys are not settings: a bare repeated `present` is harmless
    expect(configFromQuery('present&present').issues).toEqual([]);
  });
});
