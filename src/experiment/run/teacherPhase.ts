/**
 * Phase 1: every model's teacher learns digits (cross-entropy on the 10 class logits; its
 * auxiliary logits get no loss). Then it "speaks": its auxiliary outputs on a few of its noise images.
 */
import * as tf from '../tf';
import type { MnistData } from '../../data/mnist';
import { INPUT_SIZE, type ExperimentConfig } from '../config';
import { auxProbabilities } from '../model/evaluate';
import type { Stack, StackMode } from '../model/mlp';
import { range } from '../model/conditions';
import { SAMPLE_NOISE } from '../results';
import { type RunEvent } from '../events';
import { distillImage } from '../inputs/distillInputs';
import { EpochOrders } from '../step/orders';
import { groupTeacherStep } from '../step/group';
import { readModelRow } from '../model/modelRows';
import { curveAccuracies, evaluate, samplePredictions, type RunContext } from './context';
import { trainPhase } from './trainLoop';

export async function* teacherPhase(run: RunContext): AsyncGenerator<RunEvent, void, void> {
  const { config, device, kernels, teacher } = run;
  const shuffles = new EpochOrders(config.seed, 'shuffle', run.models, config.trainImages);
  yield* run.scope.follow(
    trainPhase(
      {
        phase: 'teacher',
        message: 'The teacher learns to read digits (cross-entropy on the 10 class logits only)',
        epochs: config.teacherEpochs,
        samplesPerEpoch: config.trainImages,
        batchSize: config.batchSize,
        stackSize: run.k,
        curvePoints: config.curvePoints,
        beginEpoch: (epoch) => shuffles.beginEpoch(epoch),
        step: (start, size) => {
          const index = shuffles.index(start, size);
          return groupTeacherStep({
            kernels,
            teacher,
            input: { kind: 'images', images: device.trainImages, index, batch: size, host: device.trainPixels },
            labels: { kind: 'labels', labels: device.trainLabels, index, batch: size },
            learningRate: config.learningRate,
          });
        },
        curvePoint: async (step, epoch, loss) => ({
          step,
          epoch,
          accuracy: { teacher: await curveAccuracies(run, teacher) },
          loss: loss && { teacher: loss },
          predictions: { teacher: (await samplePredictions(run, teacher))[0] },
        }),
      },
      run.clock,
    ),
    run.row0 >= 0 ? async () => ({ teacher: await readModelRow(teacher, run.row0) }) : undefined,
  );

  yield {
    type: 'noise',
    ...(await evaluate(teacher, (s) => teacherOnNoise(s, config, run.data, run.models[0], run.mode))),
  };
}

/** The first model's first distillation images and the softmax of its teacher's auxiliary logits on them. */
async function teacherOnNoise(
  teacher: Stack,
  config: ExperimentConfig,
  data: MnistData,
  model: number,
  mode: StackMode,
) {
  const pixels = new Float32Array(SAMPLE_NOISE * INPUT_SIZE);
  range(SAMPLE_NOISE).forEach((n) => pixels.set(distillImage(config, data, model, n), n * INPUT_SIZE));
  const images = tf.tensor2d(pixels, [SAMPLE_NOISE, INPUT_SIZE]);
  let probabilities: number[][][];
  try {
    probabilities = await auxProbabilities(teacher, images, mode);
  } finally {
    images.dispose();
  }
  return {
    images: range(SAMPLE_NOISE).map((n) => Array.from(pixels.subarray(n * INPUT_SIZE, (n + 1) * INPUT_SIZE))),
    auxProbabilities: probabilities[0],
  };
}
