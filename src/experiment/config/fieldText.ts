/**
 * One field as text: strict parsing of what a user typed (URL, form, command line) and printing,
 * with messages that quote the user's own words.
 */
import { FIELDS } from './fields';
import type { ExperimentConfig } from './types';
import { rangeText, type ConfigIssue } from './validate';

/**
 * A number's issue naming the value as the user wrote it, not as JavaScript prints it: a seed of
 * 400 nines is "9999…", not Infinity; 1000000000000000000000 is itself, not 1e+21.
 */
export function asTyped(issue: ConfigIssue, value: unknown, text: string): ConfigIssue {
  const printed = `${issue.field} = ${String(value)} `;
  const typed = text.trim();
  if (typeof value !== 'number' || !issue.message.startsWith(printed) || typed === String(value)) return issue;
  const shown = typed.length <= 30 ? typed : quoted(typed);
  return { ...issue, message: `${issue.field} = ${shown} ${issue.message.slice(printed.length)}` };
}

/** Longest piece of a user's text quoted back in a message: a 100 kB value must not flood the page. */
const QUOTE_LIMIT = 60;

/** The user's text as a message quotes it, cut short when long. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);
}

// Strict number forms, one for every text the config is read from (URL, form, command line).
// Integers: decimal digits only, so 0x40, 1e0, +5 and 6 4 are refused rather than read as
// something the user may not have meant; a leading minus is read so that -1 gets the range message.
const INTEGER = /^-?\d+$/;
// Reals: a plain decimal (0.001, .5, 3.) or exponent form (1e-3); no hex, Infinity or '+'.
const REAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A field's value read from text, or the issue that says why the text is not one (its range is validateConfig's to check). */
export function parseField(field: keyof ExperimentConfig, text: string): { value?: unknown; issue?: ConfigIssue } {
  const spec = FIELDS[field];
  const trimmed = text.trim();
  if (spec.kind === 'choice') return { value: trimmed };
  if (spec.kind === 'intList') {
    if (spec.minLength === 0 && (trimmed === '' || trimmed === 'none')) return { value: [] };
    const parts = trimmed.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d+$/.test(part))) {
      return {
        issue: {
          field,
          message: `${field} = ${quoted(text)} is not a comma-separated list of whole numbers: each ${spec.item} must be ${rangeText(spec)}`,
        },
      };
    }
    return { value: parts.map(Number) };
  }
  if (spec.kind === 'int' && !INTEGER.test(trimmed)) {
    return {
      issue: {
        field,
        message: `${field} = ${quoted(text)} is not a number in decimal digits like 64: allowed is ${rangeText(spec)}`,
      },
    };
  }
  if (spec.kind === 'number' && !REAL.test(trimmed)) {
    return {
      issue: {
        field,
        message: `${field} = ${quoted(text)} is not a number like 0.001 or 1e-3: allowed is ${rangeText(spec)}`,
      },
    };
  }
  return { value: Number(trimmed) };
}

export function formatField(config: ExperimentConfig, field: keyof ExperimentConfig): string {
  const value = config[field];
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  return String(value);
}
