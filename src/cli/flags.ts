/**
 * Reading the command line's flags with node:util's parseArgs: which flags there are, a signed
 * number as a flag's value, and a setting given twice (refused: which one was meant is a guess).
 */
import { parseArgs } from 'node:util';
import { CONFIG_KEYS, FIELD_ALIASES, kebab, type ExperimentConfig } from '../experiment/config';
import { describeError } from '../base/describeError';

/** The flags parseArgs knows: every setting by its camelCase and kebab-case name and its aliases, and the running flags. */
function flagSpecs() {
  const fieldFlags: Record<string, { type: 'string' }> = {};
  for (const field of CONFIG_KEYS) {
    fieldFlags[field] = { type: 'string' };
    fieldFlags[kebab(field)] = { type: 'string' };
  }
  for (const alias of Object.keys(FIELD_ALIASES)) fieldFlags[alias] = { type: 'string' };
  return {
    ...fieldFlags,
    preset: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string' },
    mode: { type: 'string' },
    kernels: { type: 'string' },
    workers: { type: 'string' },
    chunk: { type: 'string' },
    alignment: { type: 'boolean', default: false },
    sweep: { type: 'string' },
    shard: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  } as const;
}

/** A value that starts with a minus sign but is a number ("-1", "-0.1", "-.5", "-1e3", "-Infinity"). */
const SIGNED_NUMBER = /^-(?:[0-9.]|infinity\b|nan\b)/i;

/**
 * `--models -1` as `--models=-1`. parseArgs refuses a value that starts with a dash as "ambiguous"
 * (it might be a forgotten value followed by a flag); a signed number is no flag, so it goes on to
 * the field's own check and its message (range and value). Other dashed values stay ambiguous.
 */
export function joinSignedValues(argv: string[], valueFlags: ReadonlySet<string>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg.startsWith('--') && valueFlags.has(arg.slice(2)) && next !== undefined && SIGNED_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

interface GivenFlag {
  flag: string;
  value: string;
  /** What it sets, as a flag: "--m" and "--auxLogits" both set "--aux-logits". */
  setting: string;
}

/** The setting a flag sets, by any of its spellings (camelCase, kebab-case, alias). */
export function configField(flag: string): keyof ExperimentConfig | undefined {
  return FIELD_ALIASES[flag] ?? CONFIG_KEYS.find((key) => key === flag || kebab(key) === flag);
}

function settingOf(flag: string): string {
  const field = configField(flag);
  return `--${field ? kebab(field) : flag}`;
}

/** Settings given more than once, in any spelling, with every flag that gave them. */
function repeatedSettings(given: GivenFlag[]): [string, GivenFlag[]][] {
  const bySetting = new Map<string, GivenFlag[]>();
  for (const flag of given) bySetting.set(flag.setting, [...(bySetting.get(flag.setting) ?? []), flag]);
  return [...bySetting].filter(([, flags]) => flags.length > 1);
}

/**
 * The flags' values by flag name, and what went wrong. A setting given twice is dropped (parseArgs
 * keeps the last of a repeated flag; which one was meant is a guess), with an error naming every flag.
 */
export function readFlags(argv: string[]): { values: Record<string, string | boolean | undefined>; errors: string[] } {
  const options = flagSpecs();
  const valueFlags = new Set(
    Object.entries(options)
      .filter(([, spec]) => spec.type === 'string')
      .map(([flag]) => flag),
  );

  const errors: string[] = [];
  let values: Record<string, string | boolean | undefined> = {};
  let given: GivenFlag[] = [];
  try {
    const parsed = parseArgs({
      args: joinSignedValues(argv, valueFlags),
      strict: true,
      allowPositionals: false,
      options,
      tokens: true,
    });
    values = parsed.values;
    given = parsed.tokens.flatMap((token) =>
      token.kind === 'option' && token.value !== undefined
        ? [{ flag: token.name, value: token.value, setting: settingOf(token.name) }]
        : [],
    );
  } catch (error) {
    errors.push(describeError(error));
  }
  // parseArgs keeps the last of a repeated flag; which one was meant is a guess, so neither is used.
  const repeated = repeatedSettings(given);
  for (const [setting, flags] of repeated) {
    const list = flags.map(({ flag, value }) => `--${flag} ${value}`).join(', ');
    errors.push(`${setting} is given ${flags.length} times (${list}): give it once`);
    for (const { flag } of flags) delete values[flag];
  }
  return { values, errors };
}
