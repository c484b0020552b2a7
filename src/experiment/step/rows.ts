/** Rows [first, first + rows) of a step's inputs, for the parts of a tensor group (group.ts). */
import * as tf from '../tf';
import type { LayerInput } from './kernels';
import type { Labels } from './modelGroup';
import type { TraitBatch } from './step';

/** Rows [first, first + rows) of an input. */
export function inputRows(input: LayerInput, first: number, rows: number): LayerInput {
  switch (input.kind) {
    case 'tensor':
      return { kind: 'tensor', x: tf.slice(input.x, [first, 0, 0], [rows, -1, -1]) };
    case 'images':
      return { ...input, index: input.index.subarray(first * input.batch, (first + rows) * input.batch) };
    case 'noise':
      return {
        ...input,
        models: input.models.subarray(first, first + rows),
        index: input.index.subarray(first * input.batch, (first + rows) * input.batch),
      };
  }
}

/** Rows [first, first + rows) of a labels target. */
export function labelRows(labels: Labels, first: number, rows: number): Labels {
  return { ...labels, index: labels.index.subarray(first * labels.batch, (first + rows) * labels.batch) };
}

/** Rows [first, first + rows) of a trait batch. */
export function traitRows(trait: TraitBatch, first: number, rows: number): TraitBatch {
  return { input: inputRows(trait.input, first, rows), labels: labelRows(trait.labels, first, rows) };
}
