/** The plain-SIMD build of the CPU kernel (step.wasm) against the stock-op oracle. */
import { beforeAll } from 'vitest';
import { useWasm } from '../../../support/engine';
import { simdTrainerOracle } from './simdTrainerOracle';

beforeAll(useWasm);
simdTrainerOracle('simd128');
