/**
 * The paper's theorem as an experiment. From a start θ⁰ the teacher takes one plain gradient step
 * of size ε on its task (cross-entropy of the class logits on MNIST digits). A student then takes
 * one step of fixed length down the gradient of imitating the new teacher's auxiliary logits on
 * noise, from θ⁰ (shared start) or from another model's init (different start). The theorem says
 * that from the shared start, for small ε, that step cannot raise the teacher's loss: imitation on
 * unrelated inputs pulls the student toward the teacher. From a different start nothing is promised.
 */
import * as tf from '../tf';
import type { ExperimentConfig } from '../config';
import type { DeviceData } from '../inputs/deviceData';
import type { DistillInputs } from '../inputs/distillInputs';
import { layerSizes } from '../model/mlp';
import { range } from '../../base/range';
import { startingParameters } from '../model/conditions';
import { rowCosine, rowDot, rowScaleTo } from './alignment';
import { PackedStack, paramLayout } from '../step/layout';
import type { LayerInput, LossTarget, StepKernels } from '../step/kernels';
import { packedGradient, teacherLogits } from '../step/step';
import type { TheoremOutcome, TheoremResult } from '../results';
import { breathe } from '../run/breathe';

export interface TheoremSettings {
  /** Sizes of the teacher's step. */
  epsilons: readonly number[];
  /** Length of the student's step in parameter space (a model's parameters have norm ≈ 20–30). */
  studentStep: number;
  /** MNIST digits the teacher's loss is taken on, and noise images the student imitates on. */
  batch: number;
  /** Models 0…models−1 are measured (each gives a shared and a different start). */
  models: number;
}

export const THEOREM: TheoremSettings = {
  epsilons: [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1],
  studentStep: 0.01,
  batch: 256,
  models: 4,
};

/** The settings for a run's config: no more models than it has, no bigger batch than its data. */
export function theoremSettings(config: ExperimentConfig, base: TheoremSettings = THEOREM): TheoremSettings {
  return {
    ...base,
    models: Math.min(base.models, config.models),
    batch: Math.min(base.batch, config.trainImages, config.noiseImages),
  };
}

/** The experiment's arithmetic in model-samples (forward ≈ 1, gradient ≈ 3), to weigh its progress. */
export function theoremWork(settings: TheoremSettings): number {
  const perEpsilon = 1 + 2 * (3 + 1);
  return settings.models * settings.batch * (3 + 2 + settings.epsilons.length * perEpsilon);
}

/** One model's numbers, per ε: [shared, different] × [lossChange, innerProduct, cosine]. */
export type ModelOutcome = { shared: number[]; different: number[] }[];

type Labels = Extract<LossTarget, { kind: 'labels' }>;

/** The teacher's loss (cross-entropy of the class logits) of every row on the digits. */
function taskLoss(kernels: StepKernels, stack: PackedStack, digits: LayerInput, labels: Labels): tf.Tensor1D {
  return tf.tidy(() => kernels.lossGradient(teacherLogits(kernels, stack, digits), labels).loss);
}

/** Runs the experiment for `model` (its reference init is θ⁰; its cross partner's init is the different start). */
export async function theoremForModel(
  config: ExperimentConfig,
  data: Pick<DeviceData, 'trainImages' | 'trainLabels' | 'trainPixels'>,
  inputs: DistillInputs,
  kernels: StepKernels,
  model: number,
  settings: TheoremSettings,
): Promise<ModelOutcome> {
  const sizes = layerSizes(config.hidden, config.auxLogits);
  const layout = paramLayout(sizes);
  const start = startingParameters(config, [model]);
  const [sharedStart, differentStart] = [start.reference[0], start.students[2]].map((init) =>
    PackedStack.fromHost(sizes, [init], false),
  );
  const index = Int32Array.from(range(settings.batch));
  const digits: LayerInput = {
    kind: 'images',
    images: data.trainImages,
    index,
    batch: settings.batch,
    host: data.trainPixels,
  };
  const labels: Labels = { kind: 'labels', labels: data.trainLabels, index, batch: settings.batch };
  const noise = inputs.batch(Int32Array.of(model), index, settings.batch);
  const auxOnly = [true];

  // One ε at a time, each read back before the next: the peak is a few parameter copies, not ~13
  // per ε (0.84 GB of a 784-1024-1024 run's peak on wasm), and the worker breathes between two ε,
  // so a big model's measurement (seconds per ε) never leaves the page without an answer.
  const kept: tf.Tensor[] = [];
  try {
    const taskGradient = tf.tidy(() => packedGradient(kernels, sharedStart, digits, labels).gradient);
    kept.push(taskGradient);
    const starts = [sharedStart, differentStart].map((stack) => {
      const parameters = stack.parameters();
      kept.push(parameters);
      const loss = taskLoss(kernels, stack, digits, labels);
      kept.push(loss);
      return { stack, parameters, loss };
    });
    const outcome: ModelOutcome = [];
    for (const epsilon of settings.epsilons) {
      const row = tf.tidy(() => {
        const teacherStep = tf.mul(taskGradient, -epsilon) as tf.Tensor2D;
        const teacher = PackedStack.frozen(layout, tf.add(starts[0].parameters, teacherStep) as tf.Tensor2D);
        const target = teacherLogits(kernels, teacher, noise);
        const outcomes = starts.map(({ stack, parameters, loss }) =>
          tf.tidy(() => {
            const imitation = packedGradient(kernels, stack, noise, {
              kind: 'distill',
              teacher: target,
              auxOnly,
              loss: config.distillLoss,
            }).gradient;
            const studentStep = tf.neg(rowScaleTo(imitation, settings.studentStep)) as tf.Tensor2D;
            const student = PackedStack.frozen(layout, tf.add(parameters, studentStep) as tf.Tensor2D);
            const lossChange = tf.sub(taskLoss(kernels, student, digits, labels), loss);
            student.dispose();
            return tf.concat([lossChange, rowDot(studentStep, teacherStep), rowCosine(studentStep, teacherStep)]);
          }),
        );
        teacher.dispose();
        return tf.stack(outcomes); // [start, 3]
      });
      kept.push(row);
      const values = Array.from(await row.data());
      outcome.push({ shared: values.slice(0, 3), different: values.slice(3, 6) });
      await breathe();
    }
    return outcome;
  } finally {
    kept.forEach((tensor) => tensor.dispose());
    sharedStart.dispose();
    differentStart.dispose();
  }
}

/** Every model's outcome (models 0, 1, … in order), as the result the page and the JSON show. */
export function combineTheorem(settings: TheoremSettings, perModel: readonly ModelOutcome[]): TheoremResult {
  const outcome = (e: number, start: 'shared' | 'different'): TheoremOutcome => ({
    lossChange: perModel.map((model) => model[e][start][0]),
    innerProduct: perModel.map((model) => model[e][start][1]),
    cosine: perModel.map((model) => model[e][start][2]),
  });
  return {
    models: perModel.length,
    studentStep: settings.studentStep,
    batch: settings.batch,
    points: settings.epsilons.map((epsilon, e) => ({
      epsilon,
      shared: outcome(e, 'shared'),
      different: outcome(e, 'different'),
    })),
  };
}
