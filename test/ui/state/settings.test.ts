import { describe, expect, it } from 'vitest';
import { configFromQuery, preset } from '../../../src/experiment/config';
import {
  choosePreset,
  dismissLinkIssues,
  editSetting,
  readQuery,
  settingsFromQuery,
  settingsQuery,
  shownPreset,
} from '../../../src/ui/state/settings';

describe('settings', () => {
  it('starts from the quick preset when the link names none', () => {
    const settings = settingsFromQuery('');
    expect(settings.base).toBe('quick');
    expect(settings.config).toEqual(preset('quick'));
    expect(settings.linkIssues).toEqual([]);
    expect(shownPreset(settings)).toBe('quick');
  });

  it('reads a link and reports refused values, which keep Run off and stay in their field', () => {
    const settings = settingsFromQuery('?preset=tiny&models=5&learningRate=7&bogus=1');
    expect(settings.base).toBe('tiny');
    expect(settings.config.models).toBe(5);
    expect(settings.config.learningRate).toBe(preset('tiny').learningRate);
    expect(settings.drafts.learningRate).toBe('7');
    const messages = settings.linkIssues.map((issue) => issue.message);
    expect(messages.some((m) => m.includes('learningRate = 7') && m.includes('1e-7 to 1'))).toBe(true);
    expect(messages.some((m) => m.includes('"bogus" is not a setting'))).toBe(true);
    // Both block Run: the field's own refusal, and the unknown key no field can show.
    expect(settings.issues.map((issue) => issue.field).sort()).toEqual(['learningRate', 'preset']);
  });

  it("a refused link value is answered by editing its field, by a preset, or by using the preset's values", () => {
    const opened = settingsFromQuery('?preset=tiny&seed=1e3&curvePoints=2&curvePoints=3&x=%E0%A4%A');
    expect(opened.issues.map((issue) => issue.field)).toEqual(['seed', 'curvePoints', 'preset']);
    const edited = editSetting(editSetting(opened, 'seed', '1000'), 'curvePoints', '3');
    expect(edited.issues.map((issue) => issue.field)).toEqual(['preset']);
    expect(edited.linkIssues.map((issue) => issue.message)).toEqual([expect.stringContaining('is not a setting')]);
    const dismissed = dismissLinkIssues(opened);
    expect(dismissed.issues).toEqual([]);
    expect(dismissed.linkIssues).toEqual([]);
    expect(dismissed.config).toEqual(preset('tiny'));
    expect(settingsQuery(dismissed)).toBe('preset=tiny');
    const chosen = choosePreset(opened, 'quick');
    expect(chosen).toMatchObject({ issues: [], linkIssues: [], config: preset('quick') });
  });

  it('a link value refused only with another field (a batch above both image counts) is freed by fixing that field', () => {
    const opened = settingsFromQuery('?preset=paper&trainImages=100&noiseImages=100');
    expect(opened.issues.map((issue) => issue.field)).toEqual(['batchSize']);
    expect(opened.linkIssues.map((issue) => issue.field)).toEqual(['batchSize']);
    const fixed = editSetting(opened, 'trainImages', '5000');
    expect(fixed.issues).toEqual([]);
    expect(fixed.linkIssues).toEqual([]);
  });

  it('never throws on a malformed query, and reads the rest of it', () => {
    for (const query of [
      '?seed=100%',
      '?x=%E0%A4%A',
      '?%',
      '?models=%FF%FE&seed=7',
      '?tfjsflags=WEBGL_VERSION:3&seed=7',
      '?\uD800=1',
    ]) {
      const settings = settingsFromQuery(query);
      expect(settings.base, query).toBe('quick');
      expect(settings.issues.length, query).toBeGreaterThan(0);
    }
    expect(settingsFromQuery('?models=%FF%FE&seed=7').config.seed).toBe(7);
    expect(readQuery('?seed=100%').get('seed')).toBe('100%');
  });

  it('an edit moves the config only when valid, and names the field, value and range when not', () => {
    const start = settingsFromQuery('');
    const bad = editSetting(start, 'auxLogits', '0');
    expect(bad.issues).toHaveLength(1);
    expect(bad.issues[0].field).toBe('auxLogits');
    expect(bad.issues[0].message).toBe('auxLogits = 0 is out of range: allowed is a whole number from 1 to 1000');
    expect(bad.config).toEqual(start.config);
    const good = editSetting(bad, 'auxLogits', '5');
    expect(good.issues).toEqual([]);
    expect(good.config.auxLogits).toBe(5);
    expect(shownPreset(good)).toBe('custom');
  });

  it('refuses text that is not a number', () => {
    const bad = editSetting(settingsFromQuery(''), 'learningRate', 'fast');
    expect(bad.issues[0].message).toBe(
      'learningRate = "fast" is not a number like 0.001 or 1e-3: allowed is a number from 1e-7 to 1',
    );
  });

  it('round-trips through the query', () => {
    let settings = choosePreset(settingsFromQuery(''), 'tiny');
    settings = editSetting(settings, 'models', '7');
    settings = editSetting(settings, 'hidden', '64, 32');
    settings = editSetting(settings, 'noise', 'gaussian');
    const query = settingsQuery(settings);
    expect(query).toBe('preset=tiny&models=7&hidden=64%2C32&noise=gaussian');
    const back = configFromQuery(query);
    expect(back.issues).toEqual([]);
    expect(back.config).toEqual(settings.config);
    expect(settingsFromQuery(`?${query}`).config).toEqual(settings.config);
  });
});
