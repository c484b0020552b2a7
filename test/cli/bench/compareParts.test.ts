import { describe, expect, it } from 'vitest';
import {
  formatComparison,
  parseTimeOutput,
  pytorchEnv,
  ratio,
  splitCompareArgs,
  type RunFigures,
} from '../../../src/cli/bench/compareParts';
import { bundleReadme, workerUrls } from '../../../scripts/bundleParts';

describe('bench:compare arguments', () => {
  it('defaults to the quick preset and passes experiment flags through', () => {
    const args = splitCompareArgs(['--models', '2', '--backend=wasm']);
    expect(args.experiment).toEqual(['--preset', 'quick', '--models', '2', '--backend=wasm']);
    expect(args).toMatchObject({ python: null, threads: [1, 2], out: null, ours: 'bundle', help: false });
  });

  it('runs ours as the bundle unless told npm, and refuses anything else', () => {
    expect(splitCompareArgs(['--ours', 'npm', '--models', '2'])).toMatchObject({
      ours: 'npm',
      experiment: ['--preset', 'quick', '--models', '2'],
    });
    expect(splitCompareArgs(['--ours=bundle']).ours).toBe('bundle');
    expect(() => splitCompareArgs(['--ours', 'python'])).toThrow(/--ours python: bundle or npm/);
  });

  it('keeps a given preset and takes its own flags, spaced or with =', () => {
    const args = splitCompareArgs([
      '--preset',
      'tiny',
      '--python',
      '/usr/bin/python3',
      '--threads=2,4,2',
      '--out',
      'c.json',
      '--m',
      '5',
    ]);
    expect(args.experiment).toEqual(['--preset', 'tiny', '--m', '5']);
    expect(args).toMatchObject({ python: '/usr/bin/python3', threads: [2, 4], out: 'c.json' });
    expect(splitCompareArgs(['--preset=paper']).experiment).toEqual(['--preset=paper']);
  });

  it('refuses a bad thread count or a missing value', () => {
    expect(() => splitCompareArgs(['--threads', '0'])).toThrow(/--threads 0/);
    expect(() => splitCompareArgs(['--threads', '1,x'])).toThrow(/--threads 1,x/);
    expect(() => splitCompareArgs(['--python'])).toThrow(/needs a value/);
  });
});

describe('bench:compare figures', () => {
  it('reads /usr/bin/time -f "%M %e" output, even after a warning line', () => {
    expect(parseTimeOutput('812345 96.61\n')).toEqual({ peakRssBytes: 812345 * 1024, seconds: 96.61 });
    expect(parseTimeOutput('Command exited with non-zero status 1\n2048 1.00')).toEqual({
      peakRssBytes: 2048 * 1024,
      seconds: 1,
    });
    expect(parseTimeOutput('garbage')).toBeNull();
  });

  it('ratio is null without both figures', () => {
    expect(ratio(96.6, 48.5)).toBeCloseTo(1.992, 3);
    expect(ratio(null, 1)).toBeNull();
    expect(ratio(1, 0)).toBeNull();
  });

  const figures = (label: string, wall: number, aux: number): RunFigures => ({
    label,
    wallSeconds: wall,
    runSeconds: wall - 2,
    peakRssBytes: 512 * 2 ** 20,
    conditions: {
      reference: { mean: 0.1, sd: 0.01, ci95: 0.01, accuracies: [0.1] },
      student_aux: { mean: aux, sd: 0.1, ci95: 0.098, accuracies: [aux] },
    },
  });

  it('prints every column, and ours against the fastest PyTorch run', () => {
    const table = formatComparison(figures('ours (wasm)', 50, 0.72), [
      figures('PyTorch (1 thread)', 100, 0.7),
      figures('PyTorch (2 threads)', 400, 0.7),
    ]);
    expect(table).toMatch(/ours \/ fastest PyTorch/);
    expect(table).toMatch(/wall time \(process\)\s+50\.0 s\s+100\.0 s\s+400\.0 s\s+0\.50×/);
    expect(table).toMatch(/peak memory \(RSS\)\s+512 MiB\s+512 MiB\s+512 MiB\s+1\.00×/);
    expect(table).toMatch(
      /same init, aux only \(mean ± 95%\)\s+0\.720 ± 0\.098\s+0\.700 ± 0\.098\s+0\.700 ± 0\.098\s+\+0\.020/,
    );
    expect(table).toMatch(/teacher \(mean ± 95%\)\s+—\s+—\s+—\s+—/);
    expect(table).toMatch(/against PyTorch \(1 thread\)/);
  });

  it('prints ours alone, with the reason, when PyTorch could not run', () => {
    const table = formatComparison(figures('ours (wasm)', 50, 0.72), [], 'PyTorch not found: install python3-torch');
    expect(table).not.toMatch(/ours \/ /);
    expect(table).toMatch(/wall time \(process\)\s+50\.0 s$/m);
    expect(table.endsWith('PyTorch not found: install python3-torch')).toBe(true);
  });
});

describe('bundle parts', () => {
  it('finds the worker modules a source starts, by their URL', () => {
    const source = `startTypeScriptWorker(new URL('./part.worker.ts', import.meta.url), data);
      new URL("./benchWorker.ts", import.meta.url); new URL('./step.wasm', import.meta.url);`;
    expect(workerUrls(source)).toEqual(['part.worker.ts', 'benchWorker.ts']);
  });

  it('README names the programs, the workers and the carried node', () => {
    const text = bundleReadme({ withNode: true, workers: ['part.worker'] });
    expect(text).toMatch(/\.\/node subliminal\.mjs --preset quick/);
    expect(text).toMatch(/part\.worker\.mjs/);
  });
});

describe('pytorchEnv', () => {
  it('leaves OpenBLAS to pick its kernel and makes OpenMP wait passively, keeping the rest', () => {
    const env = {
      PATH: '/usr/bin',
      OPENBLAS_CORETYPE: 'Haswell',
      OPENBLAS_L2_SIZE: '1048576',
      OMP_WAIT_POLICY: 'ACTIVE',
    };
    expect(pytorchEnv(env)).toEqual({ PATH: '/usr/bin', OMP_WAIT_POLICY: 'PASSIVE' });
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell'); // ours keep theirs
  });
});
