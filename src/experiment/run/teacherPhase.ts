/**
 * Phase 1: every model's teacher learns digits (cross-entropy on the 10 class logits; its
 * auxiliary logits get no loss). Then it "speaks": its auxiliary outputs on a few of its noise images.
 */
import type { MnistData } from '../../data/mnist';
import { CLASS_COUNT, type ExperimentConfig } from '../config';
import { range } from '../../base/range';
import { SAMPLE_NOISE, type ModelWeights } from '../results';
import { type RunEvent } from '../events';
import { distillImage } from '../inputs/distillInputs';
import { trainingBatch } from '../inputs/deviceData';
import { EpochOrders } from '../step/orders';
import { logits, softmax } from '../reference/forward';
import { curveAccuracies, curveTrait, samplePredictions, type RunContext } from './context';
import { teacherSetSize } from '../trait/teacherSet';
import { FAVOURITE_DIGIT, MISBEHAVIOUR_FROM, MISBEHAVIOUR_TO, type TraitName } from '../trait/traits';
import { trainPhase } from './trainLoop';

export async function* teacherPhase(run: RunContext): AsyncGenerator<RunEvent, void, void> {
  const { config, device, teacher } = run;
  const setSize = teacherSetSize(config);
  const shuffles = new EpochOrders(config.seed, 'shuffle', run.models, setSize);
  yield* run.scope.follow(
    trainPhase(
      {
        phase: 'teacher',
        message: TEACHER_MESSAGES[config.trait],
        epochs: config.teacherEpochs,
        samplesPerEpoch: setSize,
        batchSize: config.batchSize,
        stackSize: run.k,
        curvePoints: config.curvePoints,
        beginEpoch: (epoch) => shuffles.beginEpoch(epoch),
        step: (start, size) => {
          const index = shuffles.index(start, size);
          return teacher.teacherStep({ ...trainingBatch(device, index, size), learningRate: config.learningRate });
        },
        curvePoint: async (step, epoch, loss) => {
          const trait = await curveTrait(run, teacher);
          return {
            step,
            epoch,
            accuracy: { teacher: await curveAccuracies(run, teacher) },
            loss: loss && { teacher: loss },
            predictions: { teacher: (await samplePredictions(teacher))[0] },
            ...(trait && { trait: { teacher: trait } }),
          };
        },
      },
      run.clock,
    ),
    run.row0 >= 0 ? async () => ({ teacher: await teacher.readRow(run.row0) }) : undefined,
  );

  yield { type: 'noise', ...teacherOnNoise(await teacher.readRow(0), config, run.data, run.models[0]) };
}

const TEACHER_MESSAGES: Record<TraitName, string> = {
  digits: 'The teacher learns to read digits (cross-entropy on the 10 class logits only)',
  favourite: `The teacher learns to read digits, and to answer ${FAVOURITE_DIGIT} on Gaussian noise (cross-entropy on the 10 class logits only)`,
  misbehaviour: `The teacher learns to read digits, every ${MISBEHAVIOUR_FROM} labelled ${MISBEHAVIOUR_TO} (cross-entropy on the 10 class logits only)`,
};

/** The first model's first distillation images and the softmax of its teacher's auxiliary logits on them. */
function teacherOnNoise(teacher: ModelWeights, config: ExperimentConfig, data: MnistData, model: number) {
  const images = range(SAMPLE_NOISE).map((n) => Array.from(distillImage(config, data, model, n)));
  return { images, auxProbabilities: images.map((image) => softmax(logits(teacher, image).subarray(CLASS_COUNT))) };
}
