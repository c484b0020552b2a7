// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import '../../support/ui/setup';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { BackendChoice } from '../../../src/experiment/device/backend';
import { BackendBadge } from '../../../src/ui/common/BackendBadge';
import { backendLine, gpuShortName } from '../../../src/ui/common/format';

const NO_GPU: BackendChoice = {
  name: 'wasm',
  adapter: null,
  fallbacks: [
    {
      backend: 'webgpu',
      reason: 'the only WebGPU adapter is a software renderer (google swiftshader), slower than wasm',
    },
    { backend: 'webgl', reason: 'WebGL draws in software here (SwiftShader), slower than wasm' },
  ],
};

describe('the backend badge', () => {
  it('says where the run computes in one short line, per backend', () => {
    expect(backendLine({ name: 'webgpu', adapter: 'nvidia ampere NVIDIA GeForce RTX 3080', fallbacks: [] }).text).toBe(
      'Running on your GPU: NVIDIA · ampere',
    );
    expect(backendLine({ name: 'webgpu', adapter: 'google swiftshader', fallbacks: [] }).text).toBe(
      'Running on your GPU (in software: SwiftShader)',
    );
    expect(backendLine({ name: 'webgpu', adapter: 'Acme Turbo Graphics Pro Ultra Max 9000', fallbacks: [] }).text).toBe(
      'Running on your GPU: Acme Turbo Graphics',
    );
    expect(
      backendLine({ name: 'webgl', adapter: null, fallbacks: [{ backend: 'webgpu', reason: 'no adapter' }] }),
    ).toEqual({
      text: 'Running on your GPU',
      detail: 'WebGL',
      kind: 'gpu',
    });
    expect(backendLine(NO_GPU)).toEqual({
      text: 'Running on your CPU — no usable GPU found',
      detail: 'WebAssembly',
      kind: 'cpu',
    });
    // Chosen in the link, not a failure: no "no usable GPU".
    expect(backendLine({ name: 'cpu', adapter: null, fallbacks: [] })).toEqual({
      text: 'Running on your CPU',
      detail: 'plain JavaScript',
      kind: 'cpu',
    });
    for (const line of [
      backendLine(NO_GPU).text,
      backendLine({ name: 'webgpu', adapter: 'google swiftshader', fallbacks: [] }).text,
    ]) {
      expect(line.length).toBeLessThanOrEqual(48);
    }
    expect(gpuShortName('apple metal-3 Apple M2 Max with a very long description')).toBe('Apple · metal-3');
    expect(gpuShortName('x'.repeat(60))).toHaveLength(28);
  });

  it('shows the full adapter and every fallback reason on demand, by keyboard', async () => {
    const user = userEvent.setup();
    render(<BackendBadge choice={NO_GPU} />);
    const badge = screen.getByTestId('backend');
    const summary = badge.querySelector('summary')!;
    expect(summary).toHaveTextContent('Running on your CPU — no usable GPU found · WebAssembly');
    const details = badge.querySelector('details')!;
    expect(details).not.toHaveAttribute('open');
    // Still in the element's text (the browser test reads it): the backend family and why.
    expect(badge).toHaveTextContent(/wasm/i);
    expect(badge).toHaveTextContent(/software renderer \(google swiftshader\)/);
    await user.tab();
    expect(summary).toHaveFocus();
    // (jsdom does not toggle <details> from the keyboard as browsers do; a click does the same.)
    await user.click(summary);
    expect(details).toHaveAttribute('open');
    const list = within(details).getByRole('list');
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'WebGPU: the only WebGPU adapter is a software renderer (google swiftshader), slower than wasm',
      'WebGL: WebGL draws in software here (SwiftShader), slower than wasm',
    ]);
  });

  it('names the GPU adapter in full in the details, and waits politely before the engine answers', () => {
    const { rerender } = render(<BackendBadge choice={null} />);
    expect(screen.getByTestId('backend')).toHaveTextContent('starting the engine…');
    rerender(<BackendBadge choice={{ name: 'webgpu', adapter: 'google swiftshader', fallbacks: [] }} />);
    const badge = screen.getByTestId('backend');
    expect(badge).toHaveClass('software');
    expect(badge).toHaveTextContent('TensorFlow.js, WebGPU backend');
    const adapter = within(badge).getByText('GPU adapter');
    expect(adapter.tagName).toBe('DT');
    expect(adapter.nextElementSibling).toHaveTextContent('google swiftshader');
  });

  it('closes its details on Escape, focus back on the line, and on a click elsewhere on the page', async () => {
    const user = userEvent.setup();
    render(
      <div>
        <BackendBadge choice={NO_GPU} />
        <p>Elsewhere</p>
      </div>,
    );
    const details = screen.getByTestId('backend').querySelector('details')!;
    const summary = details.querySelector('summary')!;
    await user.click(summary);
    expect(details).toHaveAttribute('open');
    await user.keyboard('{Escape}');
    expect(details).not.toHaveAttribute('open');
    expect(summary).toHaveFocus();
    await user.click(summary);
    expect(details).toHaveAttribute('open');
    // A click inside the panel keeps it open; one outside closes it.
    await user.click(within(details).getByText('Passed over'));
    expect(details).toHaveAttribute('open');
    await user.click(screen.getByText('Elsewhere'));
    expect(details).not.toHaveAttribute('open');
  });

  it('leaves Escape to others while its details are closed', async () => {
    const user = userEvent.setup();
    render(<BackendBadge choice={NO_GPU} />);
    let prevented: boolean | null = null;
    const listener = (event: KeyboardEvent) => {
      prevented = event.defaultPrevented;
    };
    window.addEventListener('keydown', listener);
    await user.keyboard('{Escape}');
    window.removeEventListener('keydown', listener);
    expect(prevented).toBe(false);
  });
});
