import { describe, expect, it } from 'vitest';
import {
  ADAM,
  assertValidConfig,
  CONFIG_KEYS,
  ConfigError,
  configFromEntries,
  configFromQuery,
  configToEntries,
  configToQuery,
  FIELDS,
  isPresetName,
  preset,
  PRESETS,
  validateConfig,
  type ExperimentConfig,
  type PresetName,
} from '../../src/experiment/config';

const PRESET_NAMES: PresetName[] = ['paper', 'quick', 'tiny'];

/** Every field of ExperimentConfig, written out by hand so a field missing from FIELDS is noticed. */
const ALL_FIELDS: (keyof ExperimentConfig)[] = [
  'models',
  'auxLogits',
  'hidden',
  'teacherEpochs',
  'trainImages',
  'studentEpochs',
  'noiseImages',
  'noise',
  'distillLoss',
  'mitigation',
  'studentInitNoise',
  'freshLayers',
  'generations',
  'learningRate',
  'batchSize',
  'seed',
  'curvePoints',
  'curveTestImages',
];

/** A valid config where no single-field change can trip the batchSize cross-field check. */
function roomyConfig(): ExperimentConfig {
  return { ...preset('paper'), noiseImages: 10_000_000 };
}

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

describe('FIELDS', () => {
  it('covers every config field, in CONFIG_KEYS order', () => {
    expect(CONFIG_KEYS).toEqual(ALL_FIELDS);
    expect(Object.keys(FIELDS)).toEqual(ALL_FIELDS);
    for (const field of ALL_FIELDS) expect(FIELDS[field].help.length, field).toBeGreaterThan(0);
  });
});

/** Bad values for one field, derived from its spec, each with text its message must contain. */
function badValues(field: keyof ExperimentConfig): { value: unknown; mustMention: string[] }[] {
  const spec = FIELDS[field];
  if (spec.kind === 'choice') {
    const choices = spec.values.join(', ');
    return [
      { value: 'bogus', mustMention: ['bogus', choices] },
      { value: spec.values[0].toUpperCase(), mustMention: [spec.values[0].toUpperCase(), choices] },
      { value: '', mustMention: [choices] },
      { value: 1, mustMention: ['1', choices] },
      { value: undefined, mustMention: ['undefined', choices] },
    ];
  }
  if (spec.kind === 'intList') {
    const range = `a whole number from ${spec.min} to ${spec.max}`;
    const lengths = `${spec.minLength} to ${spec.maxLength}`;
    const tooLong = Array.from({ length: spec.maxLength + 1 }, () => 8);
    return [
      ...(spec.minLength > 0 ? [{ value: [], mustMention: [lengths] }] : []),
      { value: tooLong, mustMention: [tooLong.join(','), lengths] },
      { value: 64, mustMention: ['64', lengths] },
      { value: '64,32', mustMention: ['64,32', lengths] },
      { value: [64, spec.min - 1], mustMention: [`64,${spec.min - 1}`, range] },
      { value: [spec.max + 1], mustMention: [String(spec.max + 1), range] },
      { value: [64, 1.5], mustMention: ['64,1.5', range] },
      { value: [NaN], mustMention: ['NaN', range] },
      { value: [-3, 64], mustMention: ['-3,64', range] },
    ];
  }
  const range = `${spec.kind === 'number' ? 'a number' : 'a whole number'} from ${spec.min} to ${spec.max}`;
  const below = spec.kind === 'number' && spec.min > 0 ? spec.min / 10 : spec.min - 1;
  const above = spec.kind === 'number' ? spec.max * 10 : spec.max + 1;
  const values: { value: unknown; mustMention: string[] }[] = [
    { value: below, mustMention: [String(below), range] },
    { value: above, mustMention: [String(above), range] },
    { value: -1, mustMention: ['-1', range] },
    { value: NaN, mustMention: ['NaN', range] },
    { value: Infinity, mustMention: ['Infinity', range] },
    { value: -Infinity, mustMention: ['-Infinity', range] },
    { value: String(spec.min + 1), mustMention: [String(spec.min + 1), range] },
    { value: null, mustMention: ['null', range] },
  ];
  if (spec.kind === 'int') values.push({ value: spec.min + 0.5, mustMention: [String(spec.min + 0.5), range] });
  return values;
}

describe('validateConfig', () => {
  for (const field of ALL_FIELDS) {
    it(`refuses bad values of ${field} with a message naming the field, the value and the allowed range`, () => {
      const cases = badValues(field);
      expect(cases.length).toBeGreaterThan(3);
      for (const { value, mustMention } of cases) {
        const config = { ...roomyConfig(), [field]: value } as ExperimentConfig;
        const issues = validateConfig(config);
        const label = `${field} = ${JSON.stringify(value) ?? String(value)}`;
        expect(issues, label).toHaveLength(1);
        expect(issues[0].field, label).toBe(field);
        expect(issues[0].message.startsWith(`${field} = `), label).toBe(true);
        for (const text of mustMention) expect(issues[0].message, label).toContain(text);
        expect(() => assertValidConfig(config)).toThrow(ConfigError);
      }
    });
  }

  it('accepts each field at both ends of its range', () => {
    for (const field of ALL_FIELDS) {
      const spec = FIELDS[field];
      const goods: unknown[] =
        spec.kind === 'choice'
          ? [...spec.values]
          : field === 'freshLayers'
            ? [[], [1], [1, 2, 3]] // the roomy config has 3 layers (checked against them below)
            : spec.kind === 'intList'
              ? [[spec.min], [spec.max], Array.from({ length: spec.maxLength }, () => spec.min)]
              : [spec.min, spec.max];
      for (const value of goods) {
        const config = { ...roomyConfig(), [field]: value } as ExperimentConfig;
        expect(validateConfig(config), `${field} = ${String(value)}`).toEqual([]);
      }
    }
  });

  it('uses the documented ranges', () => {
    const text = (field: keyof ExperimentConfig, value: unknown) =>
      validateConfig({ ...roomyConfig(), [field]: value } as ExperimentConfig)[0]?.message;
    expect(text('models', 0)).toBe('models = 0 is out of range: allowed is a whole number from 1 to 1000');
    expect(text('auxLogits', 1001)).toContain('from 1 to 1000');
    expect(text('trainImages', 60001)).toContain('from 1 to 60000');
    expect(text('curveTestImages', 10001)).toContain('from 1 to 10000');
    expect(text('curvePoints', -1)).toContain('from 0 to 1000');
    expect(text('seed', 4294967296)).toContain('from 0 to 4294967295');
    expect(text('learningRate', 2)).toBe('learningRate = 2 is out of range: allowed is a number from 1e-7 to 1');
    expect(text('batchSize', 65537)).toContain('from 1 to 65536');
    expect(text('noiseImages', 10_000_001)).toContain('from 1 to 10000000');
    expect(text('hidden', [4097])).toBe('hidden = 4097: each width must be a whole number from 1 to 4096');
    expect(text('hidden', [1, 2, 3, 4, 5, 6, 7])).toBe('hidden = 1,2,3,4,5,6,7 must list 1 to 6 widths');
    expect(text('noise', 'pink')).toBe('noise = pink is not allowed: choose one of uniform, gaussian, shuffled, mnist');
    expect(text('studentInitNoise', -0.1)).toBe(
      'studentInitNoise = -0.1 is out of range: allowed is a number from 0 to 10',
    );
    expect(text('freshLayers', [4])).toBe('freshLayers = 4: the network has layers 1 to 3');
    expect(text('freshLayers', [])).toBeUndefined();
    expect(text('distillLoss', 'ce')).toBe('distillLoss = ce is not allowed: choose one of kl, mse');
    expect(text('mitigation', 'yes')).toBe('mitigation = yes is not allowed: choose one of none, project');
    // learningRate is a real number, not a whole one
    expect(text('learningRate', 0.0123)).toBeUndefined();
    expect(text('curvePoints', 0)).toBeUndefined();
    expect(text('seed', 0)).toBeUndefined();
  });

  it('reports every bad field at once', () => {
    const config = { ...preset('paper'), models: 0, noise: 'pink', hidden: [] } as unknown as ExperimentConfig;
    expect(validateConfig(config).map((issue) => issue.field)).toEqual(['models', 'hidden', 'noise']);
  });

  it('refuses a batch larger than both trainImages and noiseImages', () => {
    const base = { ...preset('paper'), trainImages: 1000, noiseImages: 1024 };
    const issues = validateConfig({ ...base, batchSize: 1025 });
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe('batchSize');
    expect(issues[0].message).toContain('1025');
    expect(issues[0].message).toContain('trainImages (1000)');
    expect(issues[0].message).toContain('noiseImages (1024)');
    expect(() => assertValidConfig({ ...base, batchSize: 1025 })).toThrow(/batchSize = 1025/);

    // equal to the larger of the two, or larger than only one of them, is fine
    expect(validateConfig({ ...base, batchSize: 1024 })).toEqual([]);
    expect(validateConfig({ ...base, trainImages: 2000, noiseImages: 10, batchSize: 2000 })).toEqual([]);
    expect(validateConfig({ ...base, trainImages: 10, noiseImages: 2000, batchSize: 1500 })).toEqual([]);
    expect(validateConfig({ ...base, trainImages: 10, noiseImages: 20, batchSize: 21 })[0]?.field).toBe('batchSize');
  });

  it('ConfigError carries the issues and joins their messages', () => {
    const config = { ...preset('tiny'), models: 0, seed: -1 };
    let caught: unknown;
    try {
      assertValidConfig(config);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.name).toBe('ConfigError');
    expect(error.issues.map((issue) => issue.field)).toEqual(['models', 'seed']);
    expect(error.message).toBe(error.issues.map((issue) => issue.message).join('; '));
  });
});

describe('text form', () => {
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

describe('strict numbers (one parser for the URL, the form and the command line)', () => {
  it('integers: decimal digits only, with the range in the message', () => {
    for (const text of ['0x40', '1e0', '6.4e1', '+64', '6 4', '64.0', 'Infinity', '0b11', '0o7', '٦٤', '64n', '.']) {
      const { config, issues } = configFromEntries([
        ['preset', 'quick'],
        ['batchSize', text],
      ]);
      expect(config.batchSize, text).toBe(64);
      expect(
        issues.map((issue) => issue.message),
        text,
      ).toEqual([
        `batchSize = ${JSON.stringify(text)} is not a number in decimal digits like 64: allowed is a whole number from 1 to 65536`,
      ]);
    }
    // surrounding spaces and a minus (for the range message) are still read
    expect(configFromEntries([['batchSize', ' 64 ']]).config.batchSize).toBe(64);
    expect(configFromEntries([['models', '-1']]).issues[0].message).toBe(
      'models = -1 is out of range: allowed is a whole number from 1 to 1000',
    );
  });

  it('reals: a plain decimal or exponent form, and the message says so', () => {
    for (const [text, value] of [
      ['0.001', 0.001],
      ['1e-3', 1e-3],
      ['1E-3', 1e-3],
      ['.5', 0.5],
      ['3.', 3],
      ['2.5e-1', 0.25],
      [' 0.01 ', 0.01],
    ] as const) {
      const { config, issues } = configFromEntries([['studentInitNoise', text]]);
      expect(issues, text).toEqual([]);
      expect(config.studentInitNoise, text).toBe(value);
    }
    for (const text of ['0x1', 'Infinity', 'NaN', '+0.1', '1e', 'e3', '1..2', '1e-3x', '', ' ', '1,5', '0.0 1']) {
      const { issues } = configFromEntries([['learningRate', text]]);
      expect(
        issues.map((issue) => issue.message),
        text,
      ).toEqual([
        `learningRate = ${JSON.stringify(text)} is not a number like 0.001 or 1e-3: allowed is a number from 1e-7 to 1`,
      ]);
    }
  });

  it('refuses a layer named twice in freshLayers (a set), not a width repeated in hidden (a shape)', () => {
    const fresh = configFromEntries([['freshLayers', '1,1']]);
    expect(fresh.config.freshLayers).toEqual([]);
    expect(fresh.issues.map((issue) => issue.message)).toEqual([
      'freshLayers = 1,1 names a layer twice: list each layer once',
    ]);
    expect(configFromEntries([['freshLayers', '2, 1']]).config.freshLayers).toEqual([2, 1]);
    expect(configFromEntries([['hidden', '64,64,64']])).toMatchObject({ issues: [], config: { hidden: [64, 64, 64] } });
    expect(validateConfig({ ...preset('tiny'), freshLayers: [3, 3] }).map((issue) => issue.field)).toEqual([
      'freshLayers',
    ]);
  });

  it('quotes a long value cut short, and names a thousand unknown keys in four lines', () => {
    const long = '9'.repeat(100_000);
    const [issue] = configFromEntries([['seed', long]]).issues;
    expect(issue.field).toBe('seed');
    expect(issue.message).toBe(
      `seed = "${'9'.repeat(60)}…" is out of range: allowed is a whole number from 0 to 4294967295`,
    );
    // a number is named as typed, not as JavaScript prints it
    expect(configFromEntries([['models', '1000000000000000000000']]).issues[0].message).toBe(
      'models = 1000000000000000000000 is out of range: allowed is a whole number from 1 to 1000',
    );
    expect(configFromEntries([['learningRate', '1e999']]).issues[0].message).toBe(
      'learningRate = 1e999 is out of range: allowed is a number from 1e-7 to 1',
    );
    const text = configFromEntries([['curvePoints', 'x'.repeat(100_000)]]).issues[0].message;
    expect(text.length).toBeLessThan(200);
    expect(text).toContain(`"${'x'.repeat(60)}…"`);
    const unknown = configFromEntries(Array.from({ length: 1000 }, (_, i): [string, string] => [`k${i}`, '1'])).issues;
    expect(unknown.map((issue) => issue.message.slice(0, 30))).toEqual([
      '"k0" is not a setting: known s',
      '"k1" is not a setting: known s',
      '"k2" is not a setting: known s',
      '997 more keys are not settings',
    ]);
  });
});
