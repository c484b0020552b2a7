/**
 * WebGPU for Node: the `webgpu` package (Dawn). On a machine without a GPU, Dawn runs on
 * SwiftShader's Vulkan driver, which Debian's chromium package ships.
 */
import { existsSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Puts `navigator.gpu` (and the WebGPU globals) in place so tfjs's webgpu backend can start. */
export async function installNodeWebGpu(): Promise<void> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const navigator = (globalThis as { navigator?: object }).navigator ?? {};
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.assign(navigator, { gpu }),
    configurable: true,
    writable: true,
  });
}
