/** Small made-up MNIST for the trait tests: random pixels, and labels 0…9 in a seeded order. */
import type { MnistData, MnistSplit } from '../../../src/data/mnist';
import { Random } from '../../../src/experiment/model/random';

const split = (random: Random, count: number): MnistSplit => ({
  count,
  pixels: Uint8Array.from({ length: count * 784 }, () => random.nextInt(256)),
  labels: Uint8Array.from({ length: count }, () => random.nextInt(10)),
});

export function fakeMnist(trainCount: number, testCount: number, seed = 1): MnistData {
  const random = new Random(seed);
  return { train: split(random, trainCount), test: split(random, testCount) };
}
