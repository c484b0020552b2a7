/** Backends in Node: wasm by default, WebGPU through Dawn when asked, or the first that works. */
import { selectBackend, type BackendChoice, type BackendName } from '../experiment/device/backend';
import type { NodeBackendRequest } from './backendRequest';
import { installNodeWebGpu } from './nodeWebgpu';
import { enableRelaxedSimd } from './relaxedSimd';

export { NODE_BACKENDS, isNodeBackendRequest, type NodeBackendRequest } from './backendRequest';

/** Starts the requested backend; 'auto' tries webgpu → wasm → cpu. Throws NoBackendError with the reasons. */
export async function startNodeBackend(request: NodeBackendRequest): Promise<BackendChoice> {
  enableRelaxedSimd();
  const order: BackendName[] = request === 'auto' ? ['webgpu', 'wasm', 'cpu'] : [request];
  if (order.includes('webgpu')) await installNodeWebGpu();
  return selectBackend(order);
}
