/**
 * Run by failure-recovery.test.ts in a process of its own (it needs 3–4 GB and leaves a dead wasm
 * module behind): wasm runs out of memory as the oversize run did, the failure is recognised, the
 * engine is started afresh and a tiny run finishes. Prints one JSON line of what happened.
 */
import { loadMnistFromDirectory } from '../../src/data/loadNode';
import { backendProblem, resetEngine, selectBackend } from '../../src/experiment/device/backend';
import type { RunEvent } from '../../src/experiment/events';
import { runExperiment } from '../../src/experiment/run';
import * as tf from '../../src/experiment/tf';
import { micro } from './engine';

await selectBackend(['wasm']);
const held: tf.Tensor[] = [];
let failure = '';
try {
  // 1 GB tensors until wasm's 4 GiB heap gives out.
  for (let i = 0; i < 8; i++) held.push(tf.tidy(() => tf.add(tf.zeros([2 ** 28]), 1)));
} catch (error) {
  failure = error instanceof Error ? error.message : String(error);
}
const heldBeforeFailure = held.length;
tf.dispose(held);
const tensorsAfterFailure = tf.memory().numTensors;
const problem = await backendProblem(0, failure);
resetEngine();
const backend = (await selectBackend(['wasm'])).name;
const problemAfterReset = await backendProblem(0);
let next: RunEvent | undefined;
for await (const event of runExperiment(
  micro({ models: 1, trainImages: 256, noiseImages: 256 }),
  await loadMnistFromDirectory(),
))
  next = event;
console.log(
  JSON.stringify({
    heldBeforeFailure,
    failure,
    tensorsAfterFailure,
    problem,
    backend,
    problemAfterReset,
    next: next?.type,
    tensorsAfterNext: tf.memory().numTensors,
  }),
);
process.exit(0);
