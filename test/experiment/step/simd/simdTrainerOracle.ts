/**
 * The CPU SIMD kernel (SimdTrainer on step.wasm, or step.relaxed.wasm) against the stock-op reference (StockKernels on
 * the wasm backend): forward, gradients of every loss, whole teacher and distillation steps
 * (kl and mse, aux-only and all logits, the mitigation), accuracy, and noise bit for bit.
 * Shapes are awkward on purpose (widths and a batch that are not multiples of 4 or 16), so the
 * kernel's padding is exercised. Both builds answer to it: simdTrainer.test.ts runs plain SIMD,
 * simdTrainer.relaxed.test.ts the fused multiply-adds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistillLoss, NoiseKind } from '../../../../src/experiment/config';
import { initialParameters, Stack, type HostParameters } from '../../../../src/experiment/model/mlp';
import { Random } from '../../../../src/experiment/model/random';
import { accuracies, predictions } from '../../../../src/experiment/model/evaluate';
import { noisePixel } from '../../../../src/experiment/inputs/noiseHash';
import type { LayerInput } from '../../../../src/experiment/step/kernels';
import { PackedStack } from '../../../../src/experiment/step/layout';
import { StockKernels } from '../../../../src/experiment/step/stockKernels';
import {
  packedDistillStep,
  packedGradient,
  packedTeacherStep,
  teacherLogits,
} from '../../../../src/experiment/step/step';
import { unpackModel } from '../../../../src/experiment/step/simd/paddedLayout';
import { SimdTrainer, type SimdBank } from '../../../../src/experiment/step/simd/simdTrainer';
import { instantiateStep, type StepVariant } from '../../../../src/experiment/step/simd/stepModule';
import { WasmHeap } from '../../../../src/experiment/step/simd/wasmHeap';
import * as tf from '../../../../src/experiment/tf';
import { maxAbsDifference, useWasm } from '../../../support/engine';

/** The whole oracle, on one build of the kernel. */
export function simdTrainerOracle(variant: StepVariant): void {
  const SIZES = [784, 40, 20, 13];
  const R = 3;
  const B = 10;
  const TRAIN = 64;
  const TEST = 150;
  const NOISE_SET = 500;
  /** Tiny, as step-stock.test.ts explains: Adam moves a near-zero-gradient parameter by a rounding-chosen ±lr. */
  const LR = 1e-5;
  const TOLERANCE = 1e-4;

  function hostModels(seeds: number[]): HostParameters[] {
    return seeds.map((seed) => {
      const model = initialParameters(SIZES, 1, seed);
      const random = new Random(100 + seed);
      model.biases.forEach((b) => random.fillGaussian(b, 0, 0.1));
      return model;
    });
  }

  /** A model in the stock packed layout: W_l then b_l, layer by layer. */
  const plain = (model: HostParameters) =>
    Float32Array.from(model.weights.flatMap((w, l) => [...w, ...model.biases[l]]));

  /** Max abs difference relative to the reference's magnitude (at least 1). */
  function relative(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
    const scale = Math.max(1, ...Array.from(reference, Math.abs));
    return maxAbsDifference(actual, reference) / scale;
  }

  // One trainer for the whole file; each block below compares one part of it with the stock ops.
  // Digit-like images: 80% of the pixels are background (−1), which the kernel's sparse first
  // layer skips; one image is all background and one has none, the two extremes.
  const random = new Random(7);
  const digitLike = (count: number): Float32Array => {
    const pixels = new Float32Array(count * 784);
    random.fillUniform(pixels, -1, 1);
    for (let i = 0; i < pixels.length; i++) if (random.next() < 0.8) pixels[i] = -1;
    pixels.fill(-1, 0, 784);
    random.fillUniform(pixels, -1, 1, 784, 784);
    return pixels;
  };
  const trainPixels = digitLike(TRAIN);
  const trainLabels = Int32Array.from({ length: TRAIN }, () => random.nextInt(10));
  const testPixels = digitLike(TEST);
  const testLabels = Int32Array.from({ length: TEST }, () => random.nextInt(10));
  const stock = new StockKernels();
  let trainer: SimdTrainer;
  let images: tf.Tensor2D;
  let labels: tf.Tensor1D;
  let before: number;

  beforeAll(async () => {
    await useWasm();
    before = tf.memory().numTensors;
    const kernel = await instantiateStep(variant);
    expect(kernel.variant).toBe(variant);
    trainer = SimdTrainer.fromInstance(kernel, SIZES, B, { trainPixels, trainLabels, testPixels, testLabels });
    images = tf.tensor2d(trainPixels, [TRAIN, 784]);
    labels = tf.tensor1d(trainLabels, 'int32');
  });

  afterAll(() => {
    tf.dispose([images, labels]);
    trainer?.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  const index = (range: number) => Int32Array.from({ length: R * B }, () => random.nextInt(range));
  const digits = (): Extract<LayerInput, { kind: 'images' }> => ({
    kind: 'images',
    images,
    index: index(TRAIN),
    batch: B,
    host: trainPixels,
  });
  const noise = (kind: NoiseKind): Extract<LayerInput, { kind: 'noise' }> => ({
    kind: 'noise',
    noise: kind,
    seed: 0x9e3779b9,
    models: Int32Array.from({ length: R }, (_, r) => 3 * r + 1),
    index: index(NOISE_SET),
    batch: B,
  });
  const labelsFor = (input: { index: Int32Array }) => ({
    kind: 'labels' as const,
    labels,
    index: input.index,
    batch: B,
  });

  describe('SIMD kernel against stock tfjs ops: noise, forward and the teacher gradient', () => {
    it('makes the same noise as noiseHash.ts, bit for bit (uniform) and to 1e-6 (gaussian)', async () => {
      const kernel = await instantiateStep(variant);
      const heap = new WasmHeap(kernel);
      const hashes = heap.alloc(2 * 784);
      const { pcgHash } = await import('../../../../src/experiment/inputs/noiseHash');
      heap.i32(hashes, 2 * 784).set(Int32Array.from({ length: 2 * 784 }, (_, d) => pcgHash(d) | 0));
      const images = [0, 1, 4999, 123456, 2 ** 31 + 5];
      const idx = heap.alloc(images.length);
      heap.i32(idx, images.length).set(images.map((n) => n | 0));
      const out = heap.alloc(images.length * 784);
      for (const kind of ['uniform', 'gaussian'] as const) {
        for (const [seed, model] of [
          [0, 0],
          [0x9e3779b9, 7],
          [4294967295, 999],
        ]) {
          kernel.noiseImages(out, hashes, seed | 0, model, idx, images.length, kind === 'gaussian' ? 1 : 0);
          const got = heap.f32(out, images.length * 784);
          const want = new Float32Array(images.length * 784);
          images.forEach((n, i) => {
            for (let p = 0; p < 784; p++) want[i * 784 + p] = noisePixel(kind, seed, model, n >>> 0, p);
          });
          if (kind === 'uniform') expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true);
          else expect(maxAbsDifference(got, want)).toBeLessThanOrEqual(1e-6);
        }
      }
    });

    it('forward: logits match', async () => {
      const models = hostModels([0, 1, 2]);
      const bank = trainer.bank(models, false);
      const stack = PackedStack.fromHost(SIZES, models, false);
      const input = digits();
      const expected = tf.tidy(() => {
        const activations = stock.forward(stack, input);
        return activations[activations.length - 1];
      });
      const want = (await expected.data()) as Float32Array;
      for (let r = 0; r < R; r++) {
        const pixels = new Float32Array(B * 784);
        input.index
          .subarray(r * B, (r + 1) * B)
          .forEach((n, b) => pixels.set(trainPixels.subarray(n * 784, (n + 1) * 784), b * 784));
        const got = trainer.logitsOf(bank, r, pixels);
        expect(relative(got, want.subarray(r * B * 13, (r + 1) * B * 13))).toBeLessThanOrEqual(TOLERANCE);
      }
      tf.dispose([expected, stack.state]);
    });

    it('teacher gradient (cross-entropy on the class logits) matches', async () => {
      const models = hostModels([3, 4, 5]);
      const bank = trainer.bank(models, true);
      const stack = PackedStack.fromHost(SIZES, models, true);
      const input = digits();
      const expected = tf.tidy(() => packedGradient(stock, stack, input, labelsFor(input)).gradient);
      const want = (await expected.data()) as Float32Array;
      const P = want.length / R;
      for (let r = 0; r < R; r++) {
        const got = plain(unpackModel(trainer.layout, trainer.digitGradientOf(bank, input.index, B, r)));
        expect(relative(got, want.subarray(r * P, (r + 1) * P)), `row ${r}`).toBeLessThanOrEqual(TOLERANCE);
      }
      tf.dispose([expected, stack.state]);
    });
  });

  describe('SIMD kernel against stock tfjs ops: imitation gradients', () => {
    const imitationCases: Array<[string, () => LayerInput, DistillLoss, boolean[]]> = [
      ['uniform noise, kl, mixed aux/all', () => noise('uniform'), 'kl', [true, false, true]],
      ['gaussian noise, kl, all logits', () => noise('gaussian'), 'kl', [false, false, false]],
      ['uniform noise, mse, mixed', () => noise('uniform'), 'mse', [false, true, true]],
      ['digits, kl, aux only', digits, 'kl', [true, true, true]],
    ];
    for (const [name, make, loss, auxOnly] of imitationCases) {
      it(`imitation gradient on ${name} matches`, async () => {
        const students = hostModels([6, 7, 8]);
        const teachers = hostModels([9, 10, 11]);
        const bank = trainer.bank(students, true);
        const teacherBank = trainer.bank(teachers, false);
        const set = trainer.teachers(teacherBank, [0, 1, 2], NOISE_SET);
        const stack = PackedStack.fromHost(SIZES, students, true);
        const teacherStack = PackedStack.fromHost(SIZES, teachers, false);
        const input = make();
        const expected = tf.tidy(() => {
          const teacher = teacherLogits(stock, teacherStack, input);
          return packedGradient(stock, stack, input, { kind: 'distill', teacher, auxOnly, loss }).gradient;
        });
        const want = (await expected.data()) as Float32Array;
        const P = want.length / R;
        for (let r = 0; r < R; r++) {
          const got = plain(
            unpackModel(trainer.layout, trainer.imitationGradient(bank, set, input, auxOnly[r], loss, r)),
          );
          expect(relative(got, want.subarray(r * P, (r + 1) * P)), `row ${r}`).toBeLessThanOrEqual(TOLERANCE);
        }
        tf.dispose([expected, stack.state, teacherStack.state]);
      });
    }
  });

  describe('SIMD kernel against stock tfjs ops: whole steps', () => {
    it('three teacher steps: same losses and parameters', async () => {
      const models = hostModels([12, 13, 14]);
      const bank = trainer.bank(models, true);
      const stack = PackedStack.fromHost(SIZES, models, true);
      for (let step = 0; step < 3; step++) {
        const input = digits();
        const loss = tf.tidy(() =>
          packedTeacherStep({ kernels: stock, teacher: stack, input, labels: labelsFor(input), learningRate: LR }),
        );
        const want = await loss.data();
        loss.dispose();
        const got = trainer.teacherStep(bank, input.index, B, LR);
        expect(maxAbsDifference(got, want), `losses at step ${step}`).toBeLessThanOrEqual(TOLERANCE);
      }
      const after = await stack.read();
      trainer
        .read(bank)
        .forEach((model, r) =>
          expect(maxAbsDifference(plain(model), plain(after[r])), `row ${r}`).toBeLessThanOrEqual(TOLERANCE),
        );
      stack.dispose();
    });

    const stepCases: Array<[string, DistillLoss, boolean]> = [
      ['kl', 'kl', false],
      ['mse', 'mse', false],
      ['kl with the mitigation', 'kl', true],
    ];
    for (const [name, loss, mitigation] of stepCases) {
      it(`three distillation steps (${name}, mixed aux/all): same losses and parameters`, async () => {
        const auxOnly = [true, false, true];
        const students = hostModels([15, 16, 17]);
        const teachers = hostModels([18, 19, 20]);
        const bank = trainer.bank(students, true);
        const set = trainer.teachers(trainer.bank(teachers, false), [0, 1, 2], NOISE_SET);
        const stack = PackedStack.fromHost(SIZES, students, true);
        const teacherStack = PackedStack.fromHost(SIZES, teachers, false);
        for (let step = 0; step < 3; step++) {
          const input = noise('uniform');
          const traitInput = digits();
          const trait = mitigation ? { input: traitInput, labels: labelsFor(traitInput) } : undefined;
          const losses = tf.tidy(() =>
            packedDistillStep({
              kernels: stock,
              students: stack,
              teachers: teacherStack,
              input,
              auxOnly,
              loss,
              learningRate: LR,
              trait,
            }),
          );
          const want = await losses.data();
          losses.dispose();
          const got = trainer.distillStep({
            students: bank,
            teachers: set,
            input,
            auxOnly,
            loss,
            learningRate: LR,
            trait: mitigation ? { index: traitInput.index, batch: B } : undefined,
          });
          expect(maxAbsDifference(got, want), `losses at step ${step}`).toBeLessThanOrEqual(TOLERANCE);
        }
        const after = await stack.read();
        trainer
          .read(bank)
          .forEach((model, r) =>
            expect(maxAbsDifference(plain(model), plain(after[r])), `row ${r}`).toBeLessThanOrEqual(TOLERANCE),
          );
        tf.dispose([stack.state, teacherStack.state]);
      });
    }
  });

  describe('SIMD kernel against stock tfjs ops: evaluation and models', () => {
    it('accuracy on the test set matches the stock evaluation', async () => {
      const models = hostModels([27, 28, 29]);
      const bank = trainer.bank(models, false);
      const stack = Stack.fromHost(SIZES, models, false);
      const testImages = tf.tensor2d(testPixels, [TEST, 784]);
      const testLabelsT = tf.tensor1d(testLabels, 'int32');
      const want = await accuracies(stack, testImages, testLabelsT, 'per-model');
      expect(trainer.accuracies(bank)).toEqual(want);
      const [first, firstLabels] = tf.tidy(() => [
        tf.slice(testImages, [0, 0], [37, 784]) as tf.Tensor2D,
        tf.slice(testLabelsT, [0], [37]) as tf.Tensor1D,
      ]);
      expect(trainer.accuracies(bank, 37)).toEqual(await accuracies(stack, first, firstLabels, 'per-model'));
      tf.dispose([testImages, testLabelsT, first, firstLabels, ...stack.weights, ...stack.biases]);
    });

    it('reads back exactly the models it was given', () => {
      const models = hostModels([30, 31]);
      const bank = trainer.bank(models, true);
      trainer.read(bank).forEach((model, r) => expect(plain(model)).toEqual(plain(models[r])));
    });

    it('predicts the same digits as the stock evaluation', async () => {
      const models = hostModels([32, 33, 34]);
      const bank = trainer.bank(models, false);
      const stack = Stack.fromHost(SIZES, models, false);
      const first = tf.tensor2d(testPixels.subarray(0, 37 * 784), [37, 784]);
      expect(trainer.predictions(bank, 37)).toEqual(await predictions(stack, first, 'per-model'));
      tf.dispose([first, ...stack.weights, ...stack.biases]);
    });

    it('gives each row in the padded layout, which reads back as the model', () => {
      const models = hostModels([35, 36]);
      const bank = trainer.bank(models, false);
      models.forEach((model, r) => {
        const padded = trainer.paddedRow(bank, r);
        expect(padded).toHaveLength(trainer.layout.perModel);
        expect(plain(unpackModel(trainer.layout, padded))).toEqual(plain(model));
      });
    });

    // A reloaded bank keeps its memory offsets, so cached teacher logits and packed weights must be forgotten.
    it('imitates a reloaded teacher afresh, and reuses a released bank', () => {
      const students = trainer.bank(hostModels([37, 38, 39]), true);
      const first = hostModels([40, 41, 42]);
      const second = hostModels([43, 44, 45]);
      const input = noise('uniform');
      const gradients = (teacherBank: SimdBank) => {
        const set = trainer.teachers(teacherBank, [0, 1, 2], NOISE_SET);
        return [0, 1, 2].map((r) => trainer.imitationGradient(students, set, input, false, 'kl', r));
      };
      // Each row's largest difference (a failing deep comparison of whole gradients would print for minutes).
      const differences = (a: Float32Array[], b: Float32Array[]) => a.map((g, r) => maxAbsDifference(g, b[r]));
      const teacherBank = trainer.bank(first, false);
      const pixels = testPixels.subarray(0, 8 * 784);
      const onFirst = gradients(teacherBank);
      const logitsOnFirst = trainer.logitsOf(teacherBank, 0, pixels);
      trainer.load(teacherBank, second);
      const logitsOnSecond = trainer.logitsOf(teacherBank, 0, pixels);
      expect(logitsOnSecond).toEqual(trainer.logitsOf(trainer.bank(second, false), 0, pixels));
      expect(logitsOnSecond).not.toEqual(logitsOnFirst);
      const reloaded = gradients(teacherBank);
      expect(differences(reloaded, gradients(trainer.bank(second, false)))).toEqual([0, 0, 0]);
      expect(Math.min(...differences(reloaded, onFirst))).toBeGreaterThan(0);
      trainer.release(teacherBank);
      const reused = trainer.bank(first, false);
      expect(reused).toBe(teacherBank);
      expect(differences(gradients(reused), onFirst)).toEqual([0, 0, 0]);
    });

    it('refuses work once disposed', async () => {
      const own = SimdTrainer.fromInstance(await instantiateStep(variant), SIZES, B, {
        trainPixels,
        trainLabels,
        testPixels,
        testLabels,
      });
      const bank = own.bank(hostModels([46]), true);
      expect(own.accuracies(bank, 8)).toHaveLength(1);
      own.dispose();
      expect(() => own.teacherStep(bank, new Int32Array(B), B, LR)).toThrow(/released/);
      expect(() => own.accuracies(bank)).toThrow(/released/);
    });
  });
}
