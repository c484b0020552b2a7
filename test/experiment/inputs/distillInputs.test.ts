/** The MNIST-based distillation inputs: real images, and images with their pixels shuffled. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromDirectory } from '../../../src/data/loadNode';
import { scalePixels, type MnistData } from '../../../src/data/mnist';
import { INPUT_SIZE, preset } from '../../../src/experiment/config';
import { distillImage } from '../../../src/experiment/inputs/distillInputs';
import { noisePixel } from '../../../src/experiment/inputs/noiseHash';

let data: MnistData;
beforeAll(async () => {
  data = await loadMnistFromDirectory();
});

const config = { ...preset('tiny'), trainImages: 100, noiseImages: 300 };
const training = (n: number) => scalePixels(data.train.pixels.subarray(n * INPUT_SIZE, (n + 1) * INPUT_SIZE));

describe('distillation images', () => {
  it('mnist: image n is training image n, going round the set when there are more noise images than digits', () => {
    expect(distillImage({ ...config, noise: 'mnist' }, data, 0, 7)).toEqual(training(7));
    expect(distillImage({ ...config, noise: 'mnist' }, data, 3, 107)).toEqual(training(7));
  });

  it('shuffled: the same pixel values as the digit, in an order of its own (not the digit)', () => {
    const shuffled = distillImage({ ...config, noise: 'shuffled' }, data, 0, 5);
    const digit = training(5);
    expect(Array.from(shuffled).sort()).toEqual(Array.from(digit).sort());
    expect(shuffled).not.toEqual(digit);
    expect(distillImage({ ...config, noise: 'shuffled' }, data, 0, 6)).not.toEqual(shuffled);
  });

  it('noise: the counter hash, per model', () => {
    const image = distillImage({ ...config, noise: 'uniform' }, data, 2, 9);
    expect(image[17]).toBe(noisePixel('uniform', config.seed, 2, 9, 17));
  });
});
