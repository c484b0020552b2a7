/**
 * The engine's TensorFlow.js: the core ops, with every op's gradient registered. tfjs-core alone
 * registers no gradients and its ESM build cannot be deep-imported in Node, so the umbrella
 * package is loaded for that side effect (it also registers the cpu and webgl backends).
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
