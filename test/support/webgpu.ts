/**
 * WebGPU in Node for the tests (Dawn; SwiftShader without a GPU). Needs the Vulkan loader and
 * SwiftShader's ICD, which .ci/run installs: under CI a missing WebGPU fails the file, elsewhere the
 * file is skipped with a loud warning.
 */
import { installNodeWebGpu } from '../../src/cli/nodeWebgpu';

async function whyWebGpuIsMissing(): Promise<string | null> {
  try {
    await installNodeWebGpu();
    const adapter = await (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu?.requestAdapter();
    return adapter ? null : 'no WebGPU adapter (is libvulkan1 installed, and chromium for SwiftShader?)';
  } catch (error) {
    return `WebGPU could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Null when WebGPU runs; else why not (after failing under CI, or warning elsewhere). */
export async function requireWebGpu(what: string): Promise<string | null> {
  const missing = await whyWebGpuIsMissing();
  if (missing) {
    const message = `\n\n!!! ${what} SKIPPED: ${missing}. Run .ci/run (or apt-get install -y libvulkan1 chromium).\n`;
    if (process.env.CI) throw new Error(message);
    console.warn(message);
  }
  return missing;
}
