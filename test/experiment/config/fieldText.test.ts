/** One field's text: strict numbers, the same for the URL, the form and the command line, and quoting. */
import { describe, expect, it } from 'vitest';
import { configFromEntries, preset, validateConfig } from '../../../src/experiment/config';

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
});

describe('field text: sets and long values', () => {
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
