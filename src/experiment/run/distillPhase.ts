/**
 * Phase 2: four students per model imitate their teacher on noise, all in one stack:
 * [student_aux | student_all | cross_aux | cross_all], k models each. Student j imitates
 * teacher j mod k, on that teacher's noise set. In a chain, each later generation's students
 * imitate the previous generation's same-init aux students (`nextGeneration`).
 */
import { byStudentCondition, firstOfEachStudentCondition, STUDENT_TARGETS } from '../model/conditions';
import type { ExperimentConfig } from '../config';
import type { HostParameters } from '../model/mlp';
import { trainingBatch, type DeviceData } from '../inputs/deviceData';
import { STUDENT_CONDITIONS, type AlignmentPoint, type DrawModel } from '../results';
import { type RunEvent } from '../events';
import type { DistillInputs } from '../inputs/distillInputs';
import { CyclingOrders, EpochOrders } from '../step/orders';
import type { GroupProbe, ModelGroup, ProbeBatches } from '../step/modelGroup';
import type { LiminalPenalty, TraitBatch } from '../step/step';
import { curveAccuracies, newGroup, samplePredictions, studentsTraitPoint, type RunContext } from './context';
import { teacherSetSize } from '../trait/teacherSet';
import { trainPhase, type PhasePlan } from './trainLoop';

/** The students and what they imitate: the stacks, each student's noise order and target, the probe. */
export class Distillation {
  /** The stack being trained, and the (frozen) stack it imitates, row for row. */
  students: ModelGroup;
  teachers: ModelGroup;
  private readonly auxOnly: boolean[];
  private readonly noiseOrders: EpochOrders;
  private readonly noiseModels: Int32Array;
  /** The mitigation's digits: every student walks through the training set at its own pace. */
  private readonly traitOrders: CyclingOrders | null;
  /** Liminal training's base: each student's own starting model, frozen (null without liminal training). */
  private readonly liminalBase: ModelGroup | null;
  private readonly probe: GroupProbe | null;
  private readonly probeBatches: ProbeBatches | null;

  /** Generation 1: fresh students (owned by the run) and copies of the trained teachers. */
  static async create(run: RunContext): Promise<Distillation> {
    return new Distillation(run, await run.teacher.read());
  }

  private constructor(
    private readonly run: RunContext,
    trainedTeachers: HostParameters[],
  ) {
    const { config, models, k, start, scope } = run;
    this.students = newGroup(run, start.students, true);
    const studentModels = STUDENT_CONDITIONS.flatMap(() => models);
    const teacherRows = STUDENT_CONDITIONS.flatMap(() => trainedTeachers); // teacher j mod k for student j
    this.teachers = newGroup(run, teacherRows, false);
    this.auxOnly = STUDENT_CONDITIONS.flatMap((name) => new Array<boolean>(k).fill(STUDENT_TARGETS[name] === 'aux'));
    // A student's global id: student `block` of model `model`, whatever the run's size, so that a
    // model's students shuffle alike in a chunk, in the whole run, or in a run with more models.
    const studentIds = STUDENT_CONDITIONS.flatMap((_, block) =>
      models.map((model) => model * STUDENT_CONDITIONS.length + block),
    );
    this.noiseOrders = new EpochOrders(config.seed, 'noise-order', studentIds, config.noiseImages);
    this.noiseModels = Int32Array.from(studentModels);
    this.traitOrders =
      config.mitigation === 'project'
        ? new CyclingOrders(config.seed, 'trait-order', studentIds, teacherSetSize(config))
        : null;
    const liminal = config.mitigation === 'liminal' && config.liminalWeight > 0 && config.liminalWindow > 0;
    this.liminalBase = liminal ? newGroup(run, start.students, false) : null;
    this.probe = run.options.alignment
      ? scope.own(
          this.students.probe(
            this.teachers,
            STUDENT_CONDITIONS.flatMap(() => start.reference),
          ),
        )
      : null;
    this.probeBatches = this.probe
      ? alignmentProbeBatches(config, run.device, run.distillInputs, this.noiseModels, this.auxOnly)
      : null;
  }

  /** The distillation phase of chain generation `generation` (1 = the experiment itself, with live curves). */
  plan(generation: number): PhasePlan {
    const { config, k } = this.run;
    let epoch = 0;
    return {
      phase: 'distill',
      message:
        generation === 1
          ? 'Students imitate the teacher on pure noise (aux-only students see only the auxiliary logits)'
          : `Generation ${generation} of ${config.generations}: new students imitate generation ${generation - 1}'s same-init aux student on noise`,
      epochs: config.studentEpochs,
      samplesPerEpoch: config.noiseImages,
      batchSize: config.batchSize,
      stackSize: this.students.rows,
      curvePoints: generation === 1 ? config.curvePoints : 0,
      curveSpacing: config.curveSpacing,
      beginEpoch: (next) => {
        epoch = next;
        this.noiseOrders.beginEpoch(next);
      },
      step: (start, size) =>
        this.students.distillStep({
          teachers: this.teachers,
          input: this.run.distillInputs.batch(this.noiseModels, this.noiseOrders.index(start, size), size),
          auxOnly: this.auxOnly,
          loss: config.distillLoss,
          learningRate: config.learningRate,
          trait: this.traitBatch(size),
          liminal: this.liminalAt(epoch, start),
        }),
      curvePoint: async (step, epoch, loss) => ({
        step,
        epoch,
        accuracy: byStudentCondition(await curveAccuracies(this.run, this.students), k),
        loss: loss && byStudentCondition(loss, k),
        predictions: firstOfEachStudentCondition(await samplePredictions(this.students), k),
        ...(await studentsTraitPoint(this.run, this.students)),
        ...(this.probe &&
          this.probeBatches && {
            alignment: alignmentPoint(await this.probe.measure(this.teachers, this.probeBatches), k),
          }),
      }),
    };
  }

  /** The next generation of a chain: fresh students imitate this generation's same-init aux students. */
  async nextGeneration(): Promise<void> {
    const { k, start } = this.run;
    const previous = (await this.students.read()).slice(0, k); // block 0: student_aux
    this.students.dispose();
    this.teachers.dispose();
    this.teachers = newGroup(
      this.run,
      STUDENT_CONDITIONS.flatMap(() => previous),
      false,
    );
    this.students = newGroup(this.run, start.students, true);
  }

  /** Model 0's aux-only students (same and different init), for the page's drawing pad. */
  async drawnStudents() {
    const row0 = (name: DrawModel) =>
      STUDENT_CONDITIONS.indexOf(name as (typeof STUDENT_CONDITIONS)[number]) * this.run.k + this.run.row0;
    return {
      student_aux: await this.students.readRow(row0('student_aux')),
      cross_aux: await this.students.readRow(row0('cross_aux')),
    };
  }

  /** Liminal training's penalty for the step at sample `start` of epoch `epoch`: inside its window only. */
  private liminalAt(epoch: number, start: number): LiminalPenalty<ModelGroup> | undefined {
    const { config } = this.run;
    if (!this.liminalBase || !liminalWindowHolds(config, epoch, start)) return undefined;
    return { base: this.liminalBase, weight: config.liminalWeight };
  }

  /** One batch of the mitigation's digits per step (none without the mitigation). */
  private traitBatch(size: number): TraitBatch | undefined {
    if (!this.traitOrders) return undefined;
    const { config, device } = this.run;
    const batch = Math.min(size, teacherSetSize(config));
    const index = this.traitOrders.next(batch);
    return trainingBatch(device, index, batch);
  }
}

/**
 * Whether liminal training's penalty holds for the distillation step that starts at sample `start`
 * of epoch `epoch`: while its epoch position, epoch + start / noiseImages (0.5 = half-way through
 * the first epoch), is before liminalWindow. After the window every step is the plain step.
 */
export function liminalWindowHolds(
  config: Pick<ExperimentConfig, 'noiseImages' | 'liminalWindow'>,
  epoch: number,
  start: number,
): boolean {
  return epoch + start / config.noiseImages < config.liminalWindow;
}

/** Generation 1, with live curves; after training, model 0's teacher and aux students once more. */
export async function* distillPhase(run: RunContext): AsyncGenerator<RunEvent, Distillation, void> {
  const distillation = await Distillation.create(run);
  const drawn = run.row0 >= 0 ? () => distillation.drawnStudents() : undefined;
  yield* run.scope.follow(trainPhase(distillation.plan(1), run.clock), drawn);
  // Training is over: all three once more, also for runs without curve points.
  if (drawn)
    yield {
      type: 'weights',
      phase: 'distill',
      weights: { teacher: await run.teacher.readRow(run.row0), ...(await drawn()) },
    };
  return distillation;
}

/**
 * The fixed batches the alignment is measured on: each student's first noise images (those of its
 * teacher's model) and the first training digits, one batch's worth.
 */
function alignmentProbeBatches(
  config: ExperimentConfig,
  device: DeviceData,
  distillInputs: DistillInputs,
  noiseModels: Int32Array,
  auxOnly: readonly boolean[],
): ProbeBatches {
  const batch = Math.min(config.batchSize, config.trainImages, config.noiseImages);
  const rows = noiseModels.length;
  const index = new Int32Array(rows * batch).map((_, i) => i % batch);
  return {
    noise: distillInputs.batch(noiseModels, index, batch),
    trait: trainingBatch(device, index, batch),
    auxOnly,
    loss: config.distillLoss,
  };
}

function alignmentPoint(
  rows: { updateCosine: number[]; distance: number[]; gradientCosine: number[] },
  k: number,
): AlignmentPoint {
  return {
    updateCosine: byStudentCondition(rows.updateCosine, k),
    distance: byStudentCondition(rows.distance, k),
    gradientCosine: byStudentCondition(rows.gradientCosine, k),
  };
}
