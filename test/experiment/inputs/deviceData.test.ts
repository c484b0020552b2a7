/** The run's data on the device: the teacher's set of its trait, and digits only for the students. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../../src/data/loadNode';
import { scalePixels, type MnistData } from '../../../src/data/mnist';
import { INPUT_SIZE, preset, type TraitName } from '../../../src/experiment/config';
import { uploadData } from '../../../src/experiment/inputs/deviceData';
import { DistillInputs } from '../../../src/experiment/inputs/distillInputs';
import { teacherSet } from '../../../src/experiment/trait/teacherSet';
import * as tf from '../../../src/experiment/tf';
import { sameBits, useWasm, values } from '../../support/engine';

let data: MnistData;
beforeAll(async () => {
  await useWasm();
  data = await loadMnistFromDirectory();
});

const config = (trait: TraitName) => ({
  ...preset('tiny'),
  trainImages: 120,
  noiseImages: 50,
  noise: 'mnist' as const,
  trait,
});

describe('the data a run uploads', () => {
  for (const trait of ['digits', 'favourite', 'misbehaviour'] as const)
    it(`${trait}: the teacher's set, on the device and on the host; the students still distil on digits only`, async () => {
      const before = tf.memory().numTensors;
      const set = teacherSet(config(trait), data);
      const device = uploadData(data, config(trait), true);
      const inputs = DistillInputs.create(config(trait), device, data);
      try {
        expect(device.trainImages.shape).toEqual([set.count, INPUT_SIZE]);
        expect(sameBits(await values(device.trainImages), set.pixels)).toBe(true);
        expect(Array.from(await device.trainLabels.data())).toEqual(Array.from(set.labels));
        expect(sameBits(device.trainPixels!, set.pixels)).toBe(true);
        expect(device.trainIsMnist).toBe(trait !== 'favourite');
        // Distillation on digits: image n is training image n, whatever the teacher's set holds.
        const index = Int32Array.from([0, 10, 11, 119]);
        const input = inputs.batch(Int32Array.from([0]), index, index.length);
        if (input.kind !== 'images') throw new Error('digits are images');
        const digits = scalePixels(data.train.pixels.subarray(0, 120 * INPUT_SIZE));
        const rows = tf.gather(input.images, index);
        const gathered = await values(rows);
        rows.dispose();
        index.forEach((n, i) => {
          const want = digits.subarray(n * INPUT_SIZE, (n + 1) * INPUT_SIZE);
          expect(sameBits(gathered.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE), want), `image ${n}`).toBe(true);
          expect(sameBits(input.host!.subarray(n * INPUT_SIZE, (n + 1) * INPUT_SIZE), want)).toBe(true);
        });
      } finally {
        inputs.dispose();
        device.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
});
