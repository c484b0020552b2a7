// The log-step axis of the critical period: where a point sits, its ticks, and the students' steps.
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/experiment/config';
import { distillSteps, logStepAxisProps, logStepTicks, logStepX } from '../../../src/ui/common/chartAxes';
import { LIGHT } from '../../../src/ui/common/palette';

describe('the log-step axis', () => {
  it('puts step 0 (the untrained start) at 1, and every step one further on', () => {
    expect(logStepX({ step: 0 })).toBe(1);
    expect(logStepX({ step: 9 })).toBe(10);
  });

  it('ticks the start, each power of ten of steps well before the end, and the end', () => {
    expect(logStepTicks(157)).toEqual([1, 11, 158]);
    expect(logStepTicks(2000)).toEqual([1, 11, 101, 1001, 2001]);
    // 1000 is within a factor 2 of 1500: its label would print over the end's.
    expect(logStepTicks(1500)).toEqual([1, 11, 101, 1501]);
    expect(logStepTicks(1)).toEqual([1, 2]);
  });

  it('is a log scale from the start to the last step, labelled in steps', () => {
    const props = logStepAxisProps(LIGHT, 157, 14);
    expect(props.scale).toBe('log');
    expect(props.domain).toEqual([1, 158]);
    expect(props.ticks.map(props.tickFormatter)).toEqual(['start', '10', '157']);
    expect(props.label.value).toBe('steps (log scale)');
  });

  it('counts the students’ steps as the engine does: a batch of noise images a step, every epoch', () => {
    expect(distillSteps(preset('quick'))).toBe(2 * Math.ceil(5000 / 64));
    expect(distillSteps({ studentEpochs: 3, noiseImages: 1000, batchSize: 1000 })).toBe(3);
  });
});
