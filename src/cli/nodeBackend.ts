/** Backends in Node: wasm by default, WebGPU through Dawn when asked, or the first that works. */
import { selectBackend, type BackendChoice, type BackendName } from '../experiment/backend';
import { installNodeWebGpu } from './nodeWebgpu';

export const NODE_BACKENDS = ['wasm', 'webgpu', 'cpu', 'auto'] as const;
export type NodeBackendRequest = (typeof NODE_BACKENDS)[number];

export function isNodeBackendRequest(name: string): name is NodeBackendRequest {
  return (NODE_BACKENDS as readonly string[]).includes(name);
}

/** Starts the requested backend; 'auto' tries webgpu → wasm → cpu. Throws NoBackendError with the reasons. */
export async function startNodeBackend(request: NodeBackendRequest): Promise<BackendChoice> {
  const order: BackendName[] = request === 'auto' ? ['webgpu', 'wasm', 'cpu'] : [request];
  if (order.includes('webgpu')) await installNodeWebGpu();
  return selectBackend(order);
}
