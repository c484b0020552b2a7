// A run's mitigation in words, and where liminal training's window ends on the students' epochs.
import { describe, expect, it } from 'vitest';
import { liminalWindowEnd, mitigationWords } from '../../../src/ui/common/mitigation';

describe('the mitigation in words', () => {
  it('names liminal training with its weight and window, projection, and nothing without one', () => {
    expect(mitigationWords({ mitigation: 'liminal', liminalWeight: 2, liminalWindow: 0.25 })).toBe(
      'liminal training, λ = 2, first 0.25 epochs',
    );
    expect(mitigationWords({ mitigation: 'liminal', liminalWeight: 1, liminalWindow: 1 })).toBe(
      'liminal training, λ = 1, first 1 epoch',
    );
    expect(mitigationWords({ mitigation: 'project' })).toBe('projection off the trait gradient');
    expect(mitigationWords({ mitigation: 'none' })).toBeNull();
    // Runs saved before mitigations existed.
    expect(mitigationWords({})).toBeNull();
  });

  it('ends the liminal window within the students’ epochs, and has none otherwise', () => {
    const liminal = { mitigation: 'liminal' as const, liminalWeight: 1 };
    expect(liminalWindowEnd({ ...liminal, liminalWindow: 0.5 }, 2)).toBe(0.5);
    expect(liminalWindowEnd({ ...liminal, liminalWindow: 5 }, 2)).toBe(2);
    expect(liminalWindowEnd({ ...liminal, liminalWindow: 0 }, 2)).toBeNull();
    expect(liminalWindowEnd({ mitigation: 'project', liminalWindow: 1 }, 2)).toBeNull();
  });
});
