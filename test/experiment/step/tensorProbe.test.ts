/** The tensor group's alignment probe (step/tensorProbe.ts) against host arithmetic. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../../src/data/loadNode';
import type { MnistData } from '../../../src/data/mnist';
import { uploadData } from '../../../src/experiment/inputs/deviceData';
import { layerSizes, type HostParameters } from '../../../src/experiment/model/mlp';
import { startingParameters } from '../../../src/experiment/model/conditions';
import { TensorGroup } from '../../../src/experiment/step/group';
import { StockKernels } from '../../../src/experiment/step/stockKernels';
import { packedGradient, teacherLogits } from '../../../src/experiment/step/step';
import type { LayerInput } from '../../../src/experiment/step/kernels';
import { STUDENT_CONDITIONS } from '../../../src/experiment/results';
import * as tf from '../../../src/experiment/tf';
import { micro, useWasm } from '../../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

const flat = (model: HostParameters) => model.weights.flatMap((w, layer) => [...w, ...model.biases[layer]]);
const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));
const cosine = (a: number[], b: number[]) => dot(a, b) / (norm(a) * norm(b));
const minus = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);

async function rowsOf(tensor: tf.Tensor2D): Promise<number[][]> {
  const values = Array.from(await tensor.data());
  const [rows, width] = tensor.shape;
  return Array.from({ length: rows }, (_, r) => values.slice(r * width, (r + 1) * width));
}

describe('the alignment probe', () => {
  for (const mode of ['per-model', 'batched'] as const) {
    it(`matches host arithmetic on a small stack (${mode === 'per-model' ? 'model by model' : 'one stack'})`, async () => {
      const config = micro({ models: 2, hidden: [12], auxLogits: 3 });
      const sizes = layerSizes(config.hidden, config.auxLogits);
      const start = startingParameters(config);
      const kernels = new StockKernels();
      const device = uploadData(data, config, true);
      const before = tf.memory().numTensors;
      // Teachers: the references moved somewhere (any move will do for checking the arithmetic).
      const teacherStarts = STUDENT_CONDITIONS.flatMap(() => start.reference);
      const teacherGroup = TensorGroup.fromHost(
        sizes,
        teacherStarts.map((m) => ({
          weights: m.weights.map((w) => w.map((v) => v * 1.1)),
          biases: m.biases.map((b) => b.map(() => 0.01)),
        })),
        false,
        mode,
        kernels,
      );
      const students = TensorGroup.fromHost(sizes, start.students, true, mode, kernels);
      const probe = students.probe(teacherGroup, teacherStarts);
      const rows = start.students.length;
      const batch = 16;
      const index = new Int32Array(rows * batch).map((_, i) => i % batch);
      const models = Int32Array.from({ length: rows }, (_, r) => r % config.models);
      const noise: LayerInput = { kind: 'noise', noise: 'uniform', seed: 3, models, index, batch };
      const auxOnly = STUDENT_CONDITIONS.flatMap((name) => [name.endsWith('aux'), name.endsWith('aux')]);
      const trait = {
        input: { kind: 'images', images: device.trainImages, index, batch } as LayerInput,
        labels: { kind: 'labels' as const, labels: device.trainLabels, index, batch },
      };
      for (let step = 0; step < 2; step++)
        students
          .distillStep({
            teachers: teacherGroup,
            input: noise,
            auxOnly,
            loss: 'kl',
            learningRate: 1e-2,
          })
          .dispose();
      const measured = await probe.measure(teacherGroup, { noise, trait, auxOnly, loss: 'kl' });

      // The same three numbers from host copies of everything.
      const now = (await students.read()).map(flat);
      const teachers = (await teacherGroup.read()).map(flat);
      const origins = teacherStarts.map(flat);
      const starts = start.students.map(flat);
      const copy = TensorGroup.fromHost(sizes, await students.read(), false, 'batched', kernels).parts[0];
      const teacherCopy = TensorGroup.fromHost(sizes, await teacherGroup.read(), false, 'batched', kernels).parts[0];
      const gradients = tf.tidy(() => {
        const target = teacherLogits(kernels, teacherCopy, noise);
        return [
          packedGradient(kernels, copy, noise, { kind: 'distill', teacher: target, auxOnly, loss: 'kl' }).gradient,
          packedGradient(kernels, copy, trait.input, trait.labels).gradient,
        ];
      });
      const [imitation, traitGradient] = await Promise.all(gradients.map(rowsOf));
      for (let r = 0; r < rows; r++) {
        expect(measured.updateCosine[r]).toBeCloseTo(
          cosine(minus(now[r], starts[r]), minus(teachers[r], origins[r])),
          4,
        );
        expect(measured.distance[r]).toBeCloseTo(norm(minus(now[r], teachers[r])), 3);
        expect(measured.gradientCosine[r]).toBeCloseTo(cosine(imitation[r], traitGradient[r]), 4);
      }
      tf.dispose(gradients);
      [copy, teacherCopy, probe, students, teacherGroup].forEach((thing) => thing.dispose());
      // The data's tensors are uploaded when first read; disposing the data frees them too.
      device.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
