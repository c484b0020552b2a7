/**
 * Node 20's V8 has relaxed SIMD behind a flag (on by default from Node 22, and in Chromium): turn
 * it on before the CPU kernel compiles, so the command line trains on the kernel's fused
 * multiply-adds (step/simd/stepModule.ts picks the build). `SUBLIMINAL_SIMD=plain` keeps plain
 * SIMD, to compare the two.
 */
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdSupported } from '../experiment/step/simd/stepModule';

export function enableRelaxedSimd(): void {
  if (process.env.SUBLIMINAL_SIMD === 'plain' || relaxedSimdSupported()) return;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}
