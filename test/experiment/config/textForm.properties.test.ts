/**
 * Property tests of every text form of the config (fast-check): a URL query, the page's form and
 * the command line's argv. Whatever the text, the reader gives a valid config or issues that name
 * their field, and never throws; a valid config written out as text reads back as itself.
 * Run counts are fixed (RUNS) so the report can quote them; a failure prints its seed and the
 * shrunk counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../src/cli/args';
import {
  CONFIG_KEYS,
  configFromQuery,
  configToEntries,
  configToQuery,
  FIELDS,
  formatField,
  PAGE_KEYS,
  PRESETS,
  validateConfig,
  type ConfigIssue,
  type ExperimentConfig,
  type PresetName,
} from '../../../src/experiment/config';
import { editSetting, settingsFromQuery } from '../../../src/ui/state/settings';
import { sweepPrefill } from '../../../src/ui/state/sweepLink';

const RUNS = { query: 3000, form: 1000, argv: 2000, roundTrip: 1000 } as const;

const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
const FIELD_NAMES = new Set<string>([...CONFIG_KEYS, 'preset']);
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every issue names a known field and says something; a field's own issue names it in words. */
function expectNamedIssues(issues: ConfigIssue[]): void {
  for (const issue of issues) {
    expect(FIELD_NAMES.has(issue.field), issue.field).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
    if (issue.field !== 'preset') expect(issue.message).toContain(issue.field);
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile text: any unicode (lone surrogates too), malformed escapes, number forms a reader might
// take too kindly (hex, exponent, '+', spaces), huge numbers, markup.

const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const numberish = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc.integer({ min: 0, max: 70000 }).map((n) => `0x${n.toString(16)}`),
  fc.integer({ min: 0, max: 9 }).map((n) => `${n}e${n}`),
  fc.integer({ min: 0, max: 99 }).map((n) => `+${n}`),
  fc.integer({ min: 0, max: 99 }).map((n) => ` ${n} ${n}`),
  fc.array(fc.integer({ min: -5, max: 5000 }), { maxLength: 8 }).map((list) => list.join(',')),
);
const hostile = fc.constantFrom(
  '%',
  '100%',
  '%E0%A4%A',
  '%zz',
  '%%',
  '%00',
  '%FF%FE',
  '%uD800',
  'WEBGL_VERSION:3',
  'none',
  '',
  ' ',
  ',',
  ',,',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  'Infinity',
  'NaN',
  '-0',
  '1e309',
  ...PRESET_NAMES,
  'uniform',
  'mse',
  'project',
  'auxLogits=1,2',
  'layers=all',
);
const value = fc.oneof(anyText, numberish, hostile);
const key = fc.oneof(
  fc.constantFrom(
    ...CONFIG_KEYS,
    'preset',
    ...PAGE_KEYS,
    'tfjsflags',
    '__proto__',
    'constructor',
    'toString',
    'lr',
    'aux-logits',
  ),
  anyText,
);
const pairs = fc.array(fc.tuple(key, value), { maxLength: 12 });

/** A query as a link could hold it: written raw (escapes as typed), encoded, or any text at all. */
const query = fc
  .tuple(
    fc.boolean(),
    fc.oneof(
      pairs.map((list) => list.map(([k, v]) => `${k}=${v}`).join('&')),
      pairs.map((list) => new URLSearchParams(list).toString()),
      pairs.map((list) => list.map(([k]) => k).join('&')),
      fc.string({ unit: 'binary', maxLength: 200 }),
    ),
  )
  .map(([mark, text]) => (mark ? `?${text}` : text));

// ---------------------------------------------------------------------------------------------
// Valid configs, field by field from the table in config/fields.ts, then the cross-field rules.

function fieldArbitrary(field: keyof ExperimentConfig): fc.Arbitrary<unknown> {
  const spec = FIELDS[field];
  if (spec.kind === 'choice') return fc.constantFrom(...spec.values);
  if (spec.kind === 'int') return fc.integer({ min: spec.min, max: spec.max });
  if (spec.kind === 'number') return fc.double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true });
  if (spec.kind === 'intList' && field === 'hidden')
    return fc.array(fc.integer({ min: spec.min, max: spec.max }), {
      minLength: spec.minLength,
      maxLength: spec.maxLength,
    });
  return fc.constant([]); // freshLayers: drawn below, against the network's layers
}

const validConfig: fc.Arbitrary<ExperimentConfig> = fc
  .record(
    Object.fromEntries(CONFIG_KEYS.map((field) => [field, fieldArbitrary(field)])) as {
      [K in keyof ExperimentConfig]: fc.Arbitrary<ExperimentConfig[K]>;
    },
  )
  .chain((config) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: config.hidden.length + 1 }), { maxLength: config.hidden.length + 1 })
      .map((freshLayers) => ({
        ...config,
        freshLayers,
        batchSize: Math.min(config.batchSize, Math.max(config.trainImages, config.noiseImages)),
      })),
  );

describe('config text forms: properties', () => {
  it(`any query gives a valid config or named issues, and never throws (${RUNS.query} queries)`, () => {
    fc.assert(
      fc.property(query, (text) => {
        const { config, issues } = configFromQuery(text);
        expectNamedIssues(issues);
        if (issues.length === 0) expect(validateConfig(config)).toEqual([]);
        // What the page makes of it: Run is free only when the link had nothing refused.
        const settings = settingsFromQuery(text);
        expectNamedIssues(settings.issues);
        if (settings.issues.length === 0) {
          expect(settings.linkIssues).toEqual([]);
          expect(validateConfig(settings.config)).toEqual([]);
        }
        sweepPrefill(text);
      }),
      { numRuns: RUNS.query },
    );
  });

  it(`any text typed in any field of the form gives a valid config or named issues (${RUNS.form} edits)`, () => {
    const start = settingsFromQuery('');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...CONFIG_KEYS), value), { minLength: 1, maxLength: 6 }),
        (edits) => {
          let settings = start;
          for (const [field, text] of edits) settings = editSetting(settings, field, text);
          expectNamedIssues(settings.issues);
          // The config Run would use is always a valid one, whatever the drafts say.
          expect(validateConfig(settings.config)).toEqual([]);
        },
      ),
      { numRuns: RUNS.form },
    );
  });

  it(`any argv gives a valid config or named issues and errors, and never throws (${RUNS.argv} argvs)`, () => {
    const flag = fc.constantFrom(
      ...CONFIG_KEYS.flatMap((field) => [`--${field}`, `--${kebab(field)}`]),
      '--m',
      '--lr',
      '--epochs',
      '--preset',
      '--backend',
      '--out',
      '--mode',
      '--workers',
      '--chunk',
      '--sweep',
      '--alignment',
      '--quiet',
      '-h',
      '--',
      '-',
    );
    const word = fc.oneof(
      flag,
      value,
      flag.chain((f) => value.map((v) => `${f}=${v}`)),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 10 }), (argv) => {
        const { options, issues, errors } = parseCli(argv);
        expectNamedIssues(issues);
        for (const error of errors) expect(typeof error).toBe('string');
        if (issues.length === 0) expect(validateConfig(options.config)).toEqual([]);
      }),
      { numRuns: RUNS.argv },
    );
  });
});

describe('config text forms: round trips', () => {
  it(`a valid config's query reads back as itself, from every preset (${RUNS.roundTrip} configs)`, () => {
    fc.assert(
      fc.property(validConfig, fc.constantFrom(...PRESET_NAMES), (config, presetName) => {
        expect(validateConfig(config)).toEqual([]);
        const back = configFromQuery(configToQuery(config, presetName));
        expect(back.issues).toEqual([]);
        expect(back.preset).toBe(presetName);
        expect(back.config).toEqual(config);
        // The page reads the same link to the same config, with Run free.
        const settings = settingsFromQuery(`?${configToQuery(config, presetName)}`);
        expect(settings.issues).toEqual([]);
        expect(settings.config).toEqual(config);
      }),
      { numRuns: RUNS.roundTrip },
    );
  });

  it(`a valid config's command-line flags read back as itself (${RUNS.roundTrip} configs)`, () => {
    fc.assert(
      fc.property(validConfig, fc.constantFrom(...PRESET_NAMES), fc.boolean(), (config, presetName, joined) => {
        // Every field spelled out (not only the differences), as `--flag value` or `--flag=value`.
        const flags = [
          ['preset', presetName] as [string, string],
          ...CONFIG_KEYS.map((field): [string, string] => [kebab(field), formatField(config, field)]),
        ];
        const argv = flags.flatMap(([name, text]) => (joined ? [`--${name}=${text}`] : [`--${name}`, text]));
        const { options, issues, errors } = parseCli(argv);
        expect(errors).toEqual([]);
        expect(issues).toEqual([]);
        expect(options.preset).toBe(presetName);
        expect(options.config).toEqual(config);
        // ...and the short form, only what differs from the preset.
        const short = configToEntries(config, presetName).flatMap(([name, text]) => [`--${kebab(name)}=${text}`]);
        expect(parseCli(short).options.config).toEqual(config);
      }),
      { numRuns: RUNS.roundTrip },
    );
  });
});
