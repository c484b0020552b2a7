// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { configFromQuery, preset } from '../../../src/experiment/config';
import { App } from '../../../src/ui/App';
import { FakeConnection } from '../../support/ui/fixtures';

function renderApp(url = '/') {
  window.history.replaceState(null, '', url);
  const connection = new FakeConnection();
  const { unmount } = render(<App connection={connection} />);
  return Object.assign(connection, { unmount });
}

async function setField(user: ReturnType<typeof userEvent.setup>, label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label);
  await user.clear(input);
  if (text !== '') await user.type(input, text);
  return input;
}

describe('the settings', () => {
  it('show the quick preset by default and run it', async () => {
    const user = userEvent.setup();
    const connection = renderApp();
    expect(screen.getByLabelText('Preset')).toHaveValue('quick');
    expect(screen.getByLabelText('Auxiliary logits m')).toHaveValue('20');
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toEqual(preset('quick'));
  });

  it('a bad value shows a message naming the field, value and range, and Run says why it is off', async () => {
    const user = userEvent.setup();
    const connection = renderApp();
    const input = await setField(user, 'Learning rate', '5');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    const message = 'learningRate = 5 is out of range: allowed is a number from 1e-7 to 1';
    expect(input).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(within(screen.getByTestId('settings-issues')).getByText(message)).toBeVisible();
    expect(screen.getByTestId('settings-issues')).toHaveAttribute('role', 'alert');
    const run = screen.getByTestId('run');
    expect(run).toBeDisabled();
    expect(run).toHaveAccessibleDescription(expect.stringContaining('learningRate'));
    // The URL is written only with valid settings.
    expect(window.location.search).toBe('');

    await setField(user, 'Learning rate', '0.002');
    expect(screen.queryByTestId('settings-issues')).toBeNull();
    expect(input).toHaveAttribute('aria-invalid', 'false');
    await user.click(run);
    expect(connection.lastStart().config.learningRate).toBe(0.002);
  });

  it('refuses text that is not a number, and a batch larger than every image set', async () => {
    const user = userEvent.setup();
    renderApp();
    await setField(user, 'Models', 'four');
    expect(
      screen.getByText(
        'models = "four" is not a number in decimal digits like 64: allowed is a whole number from 1 to 1000',
        { selector: '.field-error' },
      ),
    ).toBeVisible();
    await setField(user, 'Models', '4');
    await setField(user, 'Batch size', '60000');
    expect(screen.getByTestId('settings-issues')).toHaveTextContent(
      'batchSize = 60000 is larger than both trainImages (10000) and noiseImages (5000)',
    );
  });

  it('a config set in the form appears in the query and parses back identically', async () => {
    const user = userEvent.setup();
    const connection = renderApp();
    await user.selectOptions(screen.getByLabelText('Preset'), 'tiny');
    expect(window.location.search).toBe('?preset=tiny');
    await setField(user, 'Models', '2');
    await setField(user, 'Auxiliary logits m', '7');
    await setField(user, 'Teacher epochs', '2');
    await setField(user, 'Student epochs', '3');
    await setField(user, 'Learning rate', '0.0005');
    await setField(user, 'Batch size', '32');
    await setField(user, 'Seed', '42');
    await user.selectOptions(screen.getByLabelText('Noise'), 'gaussian');
    await user.selectOptions(screen.getByLabelText('Distillation loss'), 'mse');
    await user.click(screen.getByText('Advanced'));
    await setField(user, 'Hidden layers', '64,32');
    await setField(user, 'Noise images', '2000');
    expect(screen.getByLabelText('Preset')).toHaveValue('custom');

    const expected = {
      ...preset('tiny'),
      models: 2,
      auxLogits: 7,
      teacherEpochs: 2,
      studentEpochs: 3,
      learningRate: 0.0005,
      batchSize: 32,
      seed: 42,
      noise: 'gaussian',
      distillLoss: 'mse',
      hidden: [64, 32],
      noiseImages: 2000,
    };
    const fromUrl = configFromQuery(window.location.search);
    expect(fromUrl.preset).toBe('tiny');
    expect(fromUrl.issues).toEqual([]);
    expect(fromUrl.config).toEqual(expected);
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toEqual(expected);

    // Opening that link gives the same form and the same run.
    const link = window.location.search;
    connection.unmount();
    const second = renderApp(`/${link}`);
    expect(screen.getByLabelText('Hidden layers')).toHaveValue('64,32');
    expect(screen.getByLabelText('Preset')).toHaveValue('custom');
    await user.click(screen.getByTestId('run'));
    expect(second.lastStart().config).toEqual(expected);
  });

  // A link must never run with a value it did not ask for: the refused value stays in its field,
  // Run is off with the reason beside it, and the address bar keeps the link until it is fixed.
  it('a refused link value keeps Run off, with the reason, until it is fixed in its field', async () => {
    const user = userEvent.setup();
    const connection = renderApp('/?preset=quick&auxLogits=5000&models=3');
    const alert = screen.getByTestId('link-issues');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent('auxLogits = 5000 is out of range: allowed is a whole number from 1 to 1000');
    expect(screen.getByLabelText('Auxiliary logits m')).toHaveValue('5000');
    expect(screen.getByLabelText('Auxiliary logits m')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Models')).toHaveValue('3');
    expect(screen.getByTestId('run')).toBeDisabled();
    expect(screen.getByTestId('run')).toHaveAccessibleDescription(
      expect.stringContaining('auxLogits = 5000 is out of range'),
    );
    await setField(user, 'Auxiliary logits m', '7');
    expect(screen.queryByTestId('link-issues')).toBeNull();
    expect(screen.getByTestId('run')).toBeEnabled();
    // Only now, valid, is the link rewritten.
    expect(window.location.search).toBe('?preset=quick&models=3&auxLogits=7');
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toEqual({ ...preset('quick'), models: 3, auxLogits: 7 });
  });

  it('a long reason beside Run is cut short; Settings has it whole', () => {
    renderApp('/?colour=red');
    const reason = screen.getByTestId('run').getAttribute('aria-describedby');
    const text = document.getElementById(reason!)!.textContent!;
    expect(text).toMatch(
      /^Run is off until this is fixed: "colour" is not a setting: known settings are models, .{40,}… — see Settings\.$/,
    );
    expect(text.length).toBeLessThan(180);
    expect(screen.getByTestId('link-issues')).toHaveTextContent(
      'known settings are models, auxLogits, hidden, teacherEpochs',
    );
    expect(screen.getByTestId('link-issues')).toHaveTextContent('curvePoints, curveSpacing, curveTestImages');
  });

  it('Copy link on a link with refused values copies it as opened, and says it still has them', async () => {
    const user = userEvent.setup();
    renderApp('/?preset=tiny&models=1e0');
    await user.click(screen.getByTestId('copy-link'));
    expect(await navigator.clipboard.readText()).toBe(window.location.href);
    expect(window.location.search).toBe('?preset=tiny&models=1e0');
    expect(screen.getByTestId('export-note')).toHaveTextContent(
      'Link copied as it was opened: it still has settings the page refused',
    );
    // Fixed, the link is rewritten, and copying it says nothing more.
    await setField(user, 'Models', '1');
    await user.click(screen.getByTestId('copy-link'));
    expect(window.location.search).toBe('?preset=tiny&models=1');
    expect(screen.getByTestId('export-note')).toHaveTextContent('Link copied: it opens this page with these settings.');
  });

  it("an unknown key or a repeated one keeps Run off until the preset's values are chosen instead", async () => {
    const user = userEvent.setup();
    const link = '?preset=quick&colour=red&batchSize=32&models=2&models=3&learningRate=0x1';
    const connection = renderApp(`/${link}`);
    const alert = screen.getByTestId('link-issues');
    expect(alert).toHaveTextContent('"colour" is not a setting');
    expect(alert).toHaveTextContent('models is given 2 times ("2", "3"): give it once');
    expect(alert).toHaveTextContent(
      'learningRate = "0x1" is not a number like 0.001 or 1e-3: allowed is a number from 1e-7 to 1',
    );
    expect(screen.getByTestId('run')).toBeDisabled();
    expect(screen.getByTestId('run')).toHaveAccessibleDescription(expect.stringContaining('(and 2 more)'));
    // Fixing one field leaves the others' reasons in force.
    await setField(user, 'Learning rate', '0.002');
    expect(alert).not.toHaveTextContent('learningRate = "0x1"');
    expect(screen.getByTestId('run')).toBeDisabled();
    expect(window.location.search).toBe(link);
    await user.click(within(alert).getByRole('button', { name: "Use the preset's values instead" }));
    expect(screen.queryByTestId('link-issues')).toBeNull();
    expect(screen.getByTestId('run')).toBeEnabled();
    expect(window.location.search).toBe('?preset=quick&learningRate=0.002&batchSize=32');
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toEqual({ ...preset('quick'), learningRate: 0.002, batchSize: 32 });
  });

  it('the mitigation buttons set mitigation in the config and the link, and read it back from a link', async () => {
    const user = userEvent.setup();
    const connection = renderApp();
    const group = screen.getByRole('group', { name: 'Mitigation' });
    const none = within(group).getByRole('radio', { name: 'None: the students copy the teacher as they are' });
    const project = within(group).getByRole('radio', {
      name: 'Projection: remove the part of each student step that points along the trait gradient',
    });
    expect(none).toBeChecked();
    expect(group).toHaveAccessibleDescription(
      expect.stringContaining('the same-init student should stay near chance while its imitation loss still falls'),
    );

    await user.click(project);
    expect(project).toBeChecked();
    expect(window.location.search).toBe('?preset=quick&mitigation=project');
    expect(screen.getByLabelText('Preset')).toHaveValue('custom');
    // λ and the window belong to liminal training alone.
    expect(screen.queryByTestId('liminal-fields')).toBeNull();
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toEqual({ ...preset('quick'), mitigation: 'project' });
    expect(screen.getByTestId('mitigation-note')).toHaveTextContent('Mitigation on');

    // The link opens with it chosen; choosing none again leaves the preset as it was.
    connection.unmount();
    renderApp('/?preset=quick&mitigation=project');
    expect(screen.getByTestId('mitigation-project')).toBeChecked();
    await user.click(screen.getByTestId('mitigation-none'));
    expect(screen.getByTestId('mitigation-project')).not.toBeChecked();
    expect(window.location.search).toBe('?preset=quick');
    expect(screen.getByLabelText('Preset')).toHaveValue('quick');
  });

  it('liminal training shows its λ and window, which go into the link, and is named where the run shows it', async () => {
    const user = userEvent.setup();
    const connection = renderApp();
    await user.click(screen.getByRole('radio', { name: /^Liminal training:/ }));
    expect(within(screen.getByTestId('liminal-fields')).getByLabelText('Liminal weight λ')).toHaveValue('1');
    await setField(user, 'Liminal weight λ', '3');
    await setField(user, 'Liminal window (epochs)', '0.5');
    expect(window.location.search).toBe('?preset=quick&mitigation=liminal&liminalWeight=3&liminalWindow=0.5');
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toEqual({
      ...preset('quick'),
      mitigation: 'liminal',
      liminalWeight: 3,
      liminalWindow: 0.5,
    });
    expect(screen.getByTestId('mitigation-note')).toHaveTextContent(
      'Mitigation on: liminal training, λ = 3, first 0.5 epochs.',
    );
    expect(screen.getByTestId('explore-base')).toHaveTextContent(
      'Every run here starts with the mitigation liminal training, λ = 3, first 0.5 epochs.',
    );

    // A refused λ is shown beside its field even when liminal training is not chosen.
    connection.unmount();
    renderApp('/?preset=quick&liminalWeight=-1');
    expect(screen.getByTestId('mitigation-none')).toBeChecked();
    expect(within(screen.getByTestId('liminal-fields')).getByLabelText('Liminal weight λ')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  });

  it('a refused mitigation in the link is named and no button is chosen', () => {
    renderApp('/?preset=quick&mitigation=erase');
    expect(screen.getByTestId('link-issues')).toHaveTextContent(
      'mitigation = erase is not allowed: choose one of none, project, liminal',
    );
    for (const value of ['none', 'project', 'liminal'])
      expect(screen.getByTestId(`mitigation-${value}`)).not.toBeChecked();
  });

  it('an unknown preset in the link is named', () => {
    renderApp('/?preset=huge');
    expect(screen.getByTestId('link-issues')).toHaveTextContent(
      'preset = "huge" is unknown: choose one of paper, quick, tiny',
    );
  });

  it('lists the distillation inputs, the start noise, fresh layers and chain generations, with "none" for no fresh layer', async () => {
    const user = userEvent.setup();
    const connection = renderApp();
    const noise = screen.getByLabelText('Noise');
    expect([...noise.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'uniform',
      'gaussian',
      'shuffled',
      'mnist',
    ]);
    await user.click(screen.getByText('Advanced'));
    expect(screen.getByLabelText('Fresh layers (same-init students)')).toHaveValue('none');
    expect(screen.getByLabelText('Fresh layers (same-init students)')).toHaveAccessibleDescription(
      expect.stringContaining('e.g. 1,2 or none'),
    );
    expect(screen.getByLabelText('Chain generations')).toHaveValue('1');
    expect(screen.getByLabelText('Student start noise σ')).toHaveValue('0');

    await setField(user, 'Fresh layers (same-init students)', '4');
    expect(screen.getByTestId('settings-issues')).toHaveTextContent('freshLayers = 4: the network has layers 1 to 3');
    await setField(user, 'Fresh layers (same-init students)', '1,2');
    await setField(user, 'Chain generations', '3');
    await setField(user, 'Student start noise σ', '0.01');
    await user.selectOptions(noise, 'shuffled');
    expect(screen.queryByTestId('settings-issues')).toBeNull();
    expect(configFromQuery(window.location.search).config).toEqual({
      ...preset('quick'),
      freshLayers: [1, 2],
      generations: 3,
      studentInitNoise: 0.01,
      noise: 'shuffled',
    });
    await user.click(screen.getByTestId('run'));
    expect(connection.lastStart().config).toMatchObject({
      freshLayers: [1, 2],
      generations: 3,
      studentInitNoise: 0.01,
      noise: 'shuffled',
    });
    await setField(user, 'Fresh layers (same-init students)', 'none');
    expect(configFromQuery(window.location.search).config.freshLayers).toEqual([]);
  });

  it('a bad value in a closed Advanced section opens it, so its message is seen', async () => {
    const user = userEvent.setup();
    renderApp('/');
    const details = screen.getByText('Advanced').closest('details')!;
    expect(details).not.toHaveAttribute('open');
    await setField(user, 'Hidden layers', '64,x');
    expect(
      screen.getByText(
        'hidden = "64,x" is not a comma-separated list of whole numbers: each width must be a whole number from 1 to 4096',
        { selector: '.field-error' },
      ),
    ).toBeVisible();
    expect(details).toHaveAttribute('open');
  });
});
