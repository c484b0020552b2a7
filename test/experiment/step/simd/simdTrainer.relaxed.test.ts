/**
 * The relaxed-SIMD build of the CPU kernel (step.relaxed.wasm: fused multiply-adds) against the
 * same stock-op oracle as the plain build. Node 20 needs V8's flag for it; the command line sets
 * it the same way (src/cli/relaxedSimd.ts).
 */
import { beforeAll, expect, it } from 'vitest';
import { enableRelaxedSimd } from '../../../../src/cli/relaxedSimd';
import { bestStepVariant, relaxedSimdSupported } from '../../../../src/experiment/step/simd/stepModule';
import { useWasm } from '../../../support/engine';
import { simdTrainerOracle } from './simdTrainerOracle';

enableRelaxedSimd();
beforeAll(useWasm);

it('relaxed SIMD is found at load once the runtime has it, and is the variant a run gets', () => {
  expect(relaxedSimdSupported()).toBe(true);
  expect(bestStepVariant()).toBe('relaxed');
});

simdTrainerOracle('relaxed');
