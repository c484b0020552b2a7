/**
 * The backends the command line can ask for, apart from starting them (nodeBackend.ts), so that
 * reading the flags does not load TensorFlow.js.
 */
export const NODE_BACKENDS = ['wasm', 'webgpu', 'cpu', 'auto'] as const;
export type NodeBackendRequest = (typeof NODE_BACKENDS)[number];

export function isNodeBackendRequest(name: string): name is NodeBackendRequest {
  return (NODE_BACKENDS as readonly string[]).includes(name);
}
