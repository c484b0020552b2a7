/**
 * The WebGPU step kernels, loaded only where WebGPU runs (the module is large and useless elsewhere).
 */
import type { StepKernels } from './kernels';

export async function loadWebGpuKernels(): Promise<() => StepKernels> {
  const { WebGpuKernels } = await import('./webgpuKernels');
  return () => new WebGpuKernels();
}
