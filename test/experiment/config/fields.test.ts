/** The field table drives validation, parsing and printing, so it must cover every field. */
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, FIELDS } from '../../../src/experiment/config';
import { ALL_FIELDS } from './names';

describe('FIELDS', () => {
  it('covers every config field, in CONFIG_KEYS order', () => {
    expect(CONFIG_KEYS).toEqual(ALL_FIELDS);
    expect(Object.keys(FIELDS)).toEqual(ALL_FIELDS);
    for (const field of ALL_FIELDS) expect(FIELDS[field].help.length, field).toBeGreaterThan(0);
  });
});
