/** Where the bundled tfjs .wasm files are, for every worker that may start the wasm backend. */
import * as tf from '../experiment/tf';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** setWasmPaths wants all three builds, though the multi-threaded one is not used (singleThreadedWasm). */
export const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
};

/**
 * tfjs's multi-threaded wasm (used when the page is cross-origin isolated, e.g. served with
 * COOP/COEP headers) fails inside a bundled module worker: its pthread workers die with
 * "ReferenceError: e is not defined" (tfjs 4.22). The single-threaded SIMD build works everywhere;
 * more cores are used by more workers instead (helperParts.ts).
 */
export function singleThreadedWasm(): void {
  try {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  } catch {
    // The flag is registered by @tensorflow/tfjs-backend-wasm; without it there is nothing to turn off.
  }
}
