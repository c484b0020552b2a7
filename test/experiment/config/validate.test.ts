/** validateConfig: one message per bad field, naming the field, the value and what is allowed. */
import { describe, expect, it } from 'vitest';
import {
  assertValidConfig,
  ConfigError,
  type ExperimentConfig,
  FIELDS,
  preset,
  validateConfig,
} from '../../../src/experiment/config';
import { ALL_FIELDS } from './names';

/** A valid config where no single-field change can trip the batchSize cross-field check. */
function roomyConfig(): ExperimentConfig {
  return { ...preset('paper'), noiseImages: 10_000_000 };
}
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
});

describe('validateConfig: messages and cross-field rules', () => {
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
    expect(text('mitigation', 'yes')).toBe('mitigation = yes is not allowed: choose one of none, project, liminal');
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
