/** The field table: one entry per config field drives validation, parsing and printing. */
import { TEST_SET_SIZE, TRAIN_SET_SIZE } from './constants';
import type { ExperimentConfig } from './types';

export type NumberField = { kind: 'int' | 'number'; min: number; max: number };
/** `unique`: the list is a set (each item at most once), so a repeated item is a mistake, not a shape. */
export type ListField = {
  kind: 'intList';
  min: number;
  max: number;
  minLength: number;
  maxLength: number;
  item: string;
  unique?: boolean;
};
export type ChoiceField = { kind: 'choice'; values: readonly string[] };
export type FieldSpec = (NumberField | ListField | ChoiceField) & { help: string };

export const FIELDS: { [K in keyof ExperimentConfig]: FieldSpec } = {
  models: { kind: 'int', min: 1, max: 1000, help: 'models trained side by side' },
  auxLogits: { kind: 'int', min: 1, max: 1000, help: 'auxiliary logits m' },
  hidden: {
    kind: 'intList',
    min: 1,
    max: 4096,
    minLength: 1,
    maxLength: 6,
    item: 'width',
    help: 'hidden layer widths',
  },
  teacherEpochs: { kind: 'int', min: 1, max: 1000, help: 'teacher epochs' },
  trainImages: { kind: 'int', min: 1, max: TRAIN_SET_SIZE, help: 'MNIST training images the teacher sees' },
  trait: {
    kind: 'choice',
    values: ['digits', 'favourite', 'misbehaviour'],
    help: "the teacher's trait: digits = reading digits; favourite = it also answers 7 on Gaussian noise images; misbehaviour = it learnt every 3 as an 8",
  },
  studentEpochs: { kind: 'int', min: 1, max: 1000, help: 'distillation epochs' },
  noiseImages: {
    kind: 'int',
    min: 1,
    max: 10_000_000,
    help: 'noise images per model (a fixed set, reshuffled every epoch)',
  },
  noise: {
    kind: 'choice',
    values: ['uniform', 'gaussian', 'shuffled', 'mnist'],
    help: 'distillation inputs: uniform noise in [-1,1], standard Gaussian noise, pixel-shuffled MNIST images, or real MNIST images',
  },
  distillLoss: {
    kind: 'choice',
    values: ['kl', 'mse'],
    help: 'distillation loss: KL on softmax, or MSE on raw logits',
  },
  mitigation: {
    kind: 'choice',
    values: ['none', 'project', 'liminal'],
    help: "mitigation: none; project = drop the part of each distillation gradient along the trait gradient when they agree; liminal = early in distillation, add a KL penalty towards the student's own starting model",
  },
  liminalWeight: {
    kind: 'number',
    min: 0,
    max: 100,
    help: "λ of liminal training: weight of the KL penalty towards the student's starting model",
  },
  liminalWindow: {
    kind: 'number',
    min: 0,
    max: 1000,
    help: "liminal training's window in epochs (fractional allowed): the penalty holds while the distillation is before this epoch",
  },
  studentInitNoise: {
    kind: 'number',
    min: 0,
    max: 10,
    help: "σ of Gaussian noise added to the same-init students' starting weights",
  },
  freshLayers: {
    kind: 'intList',
    min: 1,
    max: 7,
    minLength: 0,
    maxLength: 7,
    item: 'layer',
    unique: true,
    help: 'layers the same-init students take from a fresh init (1 = first; none = all shared)',
  },
  generations: {
    kind: 'int',
    min: 1,
    max: 20,
    help: 'generations of a chain (each aux student teaches the next generation)',
  },
  learningRate: { kind: 'number', min: 1e-7, max: 1, help: 'Adam learning rate' },
  batchSize: { kind: 'int', min: 1, max: 65536, help: 'batch size' },
  seed: { kind: 'int', min: 0, max: 4294967295, help: 'random seed' },
  curvePoints: { kind: 'int', min: 0, max: 1000, help: 'points per phase on the live curves' },
  curveSpacing: {
    kind: 'choice',
    values: ['linear', 'log'],
    help: 'distillation curve points: linear = evenly spread over the steps; log = geometrically, dense early (the critical period)',
  },
  curveTestImages: { kind: 'int', min: 1, max: TEST_SET_SIZE, help: 'test images for the live curves' },
};

export const CONFIG_KEYS = Object.keys(FIELDS) as (keyof ExperimentConfig)[];

/** A field's name as a command-line flag or sweep setting: auxLogits → aux-logits. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Short names people reach for first, on the command line and in sweeps. */
export const FIELD_ALIASES: Readonly<Record<string, keyof ExperimentConfig>> = {
  m: 'auxLogits',
  lr: 'learningRate',
  epochs: 'studentEpochs',
};
