import { describe, expect, it } from 'vitest';
import { configFromQuery, preset } from '../../src/experiment/config';
import { choosePreset, editSetting, settingsFromQuery, settingsQuery, shownPreset } from '../../src/ui/state/settings';

describe('settings', () => {
  it('starts from the quick preset when the link names none', () => {
    const settings = settingsFromQuery('');
    expect(settings.base).toBe('quick');
    expect(settings.config).toEqual(preset('quick'));
    expect(settings.linkIssues).toEqual([]);
    expect(shownPreset(settings)).toBe('quick');
  });

  it('reads a link and reports refused values, keeping the preset value for them', () => {
    const settings = settingsFromQuery('?preset=tiny&models=5&learningRate=7&bogus=1');
    expect(settings.base).toBe('tiny');
    expect(settings.config.models).toBe(5);
    expect(settings.config.learningRate).toBe(preset('tiny').learningRate);
    const messages = settings.linkIssues.map((issue) => issue.message);
    expect(messages.some((m) => m.includes('learningRate = 7') && m.includes('1e-7 to 1'))).toBe(true);
    expect(messages.some((m) => m.includes('"bogus" is not a setting'))).toBe(true);
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
    expect(bad.issues[0].message).toBe('learningRate = "fast" is not a number');
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
