import { describe, expect, it } from 'vitest';
import { curveRows, latestAccuracy, latestPredictions, modelCount } from '../../../src/ui/common/curves';
import { backendText, duration } from '../../../src/ui/common/format';
import { point } from '../../support/ui/fixtures';

describe('curves for the charts', () => {
  const points = [
    point(0, 0, { student_aux: [0.1, 0.3], cross_aux: [0.1, 0.1] }, { student_aux: [1, 1] }),
    point(10, 0.5, { student_aux: [0.5, 0.7], cross_aux: [0.2, 0.1] }, { student_aux: [7, 2], cross_aux: [3, 3] }),
  ];

  it('gives each point the mean of every condition and each model its own key', () => {
    const rows = curveRows(points, ['student_aux', 'cross_aux', 'teacher']);
    expect(rows).toHaveLength(2);
    expect(rows[1].epoch).toBe(0.5);
    expect(rows[1].step).toBe(10);
    expect(rows[1].student_aux).toBeCloseTo(0.6);
    expect(rows[1]['student_aux#0']).toBe(0.5);
    expect(rows[1]['student_aux#1']).toBe(0.7);
    expect(rows[1].cross_aux).toBeCloseTo(0.15);
    expect('teacher' in rows[1]).toBe(false);
  });

  it('draws at most the given number of model lines', () => {
    const many = [point(0, 0, { teacher: Array.from({ length: 50 }, () => 0.5) })];
    const row = curveRows(many, ['teacher'], 10)[0];
    expect(Object.keys(row).filter((key) => key.startsWith('teacher#'))).toHaveLength(10);
    expect(modelCount(many, 'teacher')).toBe(50);
  });

  it('finds the newest predictions and accuracy of a condition', () => {
    expect(latestPredictions(points, 'student_aux')).toEqual([7, 2]);
    expect(latestPredictions(points, 'teacher')).toBeNull();
    expect(latestAccuracy(points, 'cross_aux')).toBeCloseTo(0.15);
    expect(latestAccuracy([], 'cross_aux')).toBeNull();
  });
});

describe('words for numbers', () => {
  it('writes durations a person reads at a glance', () => {
    expect(duration(4.4)).toBe('4 s');
    expect(duration(95)).toBe('1 min 35 s');
    expect(duration(3725)).toBe('1 h 02 min');
  });

  it('names the backend, its adapter, and every fallback with its reason', () => {
    expect(backendText({ name: 'webgpu', adapter: 'Google SwiftShader', fallbacks: [] })).toBe(
      'WebGPU · Google SwiftShader',
    );
    expect(
      backendText({
        name: 'wasm',
        adapter: null,
        fallbacks: [
          { backend: 'webgpu', reason: 'no adapter' },
          { backend: 'webgl', reason: 'no context' },
        ],
      }),
    ).toBe('wasm (fallback: WebGPU unavailable — no adapter; WebGL unavailable — no context)');
  });
});
