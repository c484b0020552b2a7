/**
 * What jsdom lacks for the page, stubbed the same way in every UI test: a canvas without a 2D
 * context (the pictures simply stay blank), object URLs for downloads, and a clean URL per test.
 */
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

// findBy… and waitFor give up after 1 s by default: too soon for a React update in jsdom while
// another test file shares the two cores (npm test runs two unit files at a time).
configure({ asyncUtilTimeout: 5_000 });

// jsdom has no canvas; without this it logs "not implemented" for every picture.
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  URL.createObjectURL = vi.fn(() => 'blob:test');
  URL.revokeObjectURL = vi.fn();
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});
