/**
 * What a stored run must look like before the page uses it. A record in IndexedDB is data from
 * anywhere (an older or newer page, another tool, a damaged disk): each is checked field by field
 * with valibot, and one that does not fit is set aside with the reason, never handed to the page.
 */
import * as v from 'valibot';
import { CONFIG_KEYS, FIELDS, PRESETS, validateConfig, type ExperimentConfig } from '../../experiment/config';
import { CONDITIONS, DRAW_MODELS, type ExperimentResult, type TheoremResult } from '../../experiment/results';
import type { SavedRun } from './savedRunType';

/** Any JavaScript number: losses and cosines may legitimately be NaN (a diverged run, a zero step). */
const measured = v.custom<number>((x) => typeof x === 'number', 'a number');
const numbers = v.array(measured);
const accuracy = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** An object with any subset of the six conditions as keys, each `value`. */
function perCondition<T extends v.GenericSchema>(value: T) {
  return v.partial(
    v.object(Object.fromEntries(CONDITIONS.map((name) => [name, value])) as Record<(typeof CONDITIONS)[number], T>),
  );
}

/**
 * Fields added after runs were first stored: a record without one was made before it existed, and
 * reads as the `paper` preset's value (what such a run did: e.g. trait 'digits').
 */
const ADDED_LATER: readonly (keyof ExperimentConfig)[] = ['trait', 'liminalWeight', 'liminalWindow', 'curveSpacing'];

/** One config field's type, from experiment/config's field table (fields.ts) (its range is validateConfig's to check). */
function fieldSchema(field: keyof ExperimentConfig): v.GenericSchema {
  const schema = fieldType(field);
  return ADDED_LATER.includes(field) ? v.optional(schema, PRESETS.paper[field] as never) : schema;
}

function fieldType(field: keyof ExperimentConfig): v.GenericSchema {
  const spec = FIELDS[field];
  const int = v.pipe(v.number(), v.integer());
  if (spec.kind === 'choice') return v.picklist(spec.values);
  if (spec.kind === 'intList') return v.array(int);
  return spec.kind === 'int' ? int : v.number();
}

/** A config of the page's shape, built from the field table so it follows the config, and inside its ranges. */
const configSchema = v.pipe(
  v.object(Object.fromEntries(CONFIG_KEYS.map((field) => [field, fieldSchema(field)]))),
  v.transform((config) => config as unknown as ExperimentConfig),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    // Its shape is right; a value this page would refuse to run is refused here too.
    const [issue] = validateConfig(dataset.value);
    if (issue) addIssue({ message: issue.message });
  }),
);

const conditionResult = v.object({
  mean: accuracy,
  sd: v.nullable(measured),
  ci95: v.nullable(measured),
  accuracies: v.pipe(v.array(accuracy), v.minLength(1)),
});

const alignmentPoint = v.object({
  updateCosine: perCondition(numbers),
  distance: perCondition(numbers),
  gradientCosine: perCondition(numbers),
});

const curvePoint = v.object({
  step: count,
  epoch: v.number(),
  accuracy: perCondition(v.array(accuracy)),
  loss: v.nullable(perCondition(numbers)),
  predictions: perCondition(v.array(count)),
  alignment: v.optional(alignmentPoint),
  trait: v.optional(perCondition(v.array(accuracy))),
});

const traitCondition = v.object({
  mean: accuracy,
  sd: v.nullable(measured),
  ci95: v.nullable(measured),
  values: v.pipe(v.array(accuracy), v.minLength(1)),
});

const traitResult = v.object({
  name: fieldType('trait') as v.GenericSchema<ExperimentConfig['trait']>,
  measure: v.string(),
  conditions: v.object(
    Object.fromEntries(CONDITIONS.map((name) => [name, traitCondition])) as Record<
      (typeof CONDITIONS)[number],
      typeof traitCondition
    >,
  ),
});

const theoremOutcome = v.object({ lossChange: numbers, innerProduct: numbers, cosine: numbers });
const theoremResult = v.object({
  models: count,
  studentStep: measured,
  batch: count,
  points: v.array(v.object({ epsilon: measured, shared: theoremOutcome, different: theoremOutcome })),
}) satisfies v.GenericSchema<unknown, TheoremResult>;

const resultSchema = v.object({
  config: configSchema,
  backend: v.string(),
  seconds: v.pipe(v.number(), v.minValue(0)),
  conditions: v.object(
    Object.fromEntries(CONDITIONS.map((name) => [name, conditionResult])) as Record<
      (typeof CONDITIONS)[number],
      typeof conditionResult
    >,
  ),
  curves: v.object({ teacher: v.array(curvePoint), distill: v.array(curvePoint) }),
  crossSources: v.array(count),
  trait: v.optional(traitResult),
  theorem: v.optional(theoremResult),
  chain: v.optional(v.array(v.object({ generation: count, accuracy: perCondition(v.array(accuracy)) }))),
}) satisfies v.GenericSchema<unknown, ExperimentResult>;

/** One model's weights, each layer's arrays as long as its sizes say (the draw pad multiplies by them). */
// By tag, not instanceof: a record read in another realm (a test's fake IndexedDB) holds that realm's arrays.
const float32s = v.custom<Float32Array>(
  (x) => Object.prototype.toString.call(x) === '[object Float32Array]',
  'a Float32Array',
);
const modelWeights = v.pipe(
  v.object({
    sizes: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.minLength(2)),
    weights: v.array(float32s),
    biases: v.array(float32s),
  }),
  v.check(
    ({ sizes, weights, biases }) =>
      weights.length === sizes.length - 1 &&
      biases.length === sizes.length - 1 &&
      weights.every((w, l) => w.length === sizes[l] * sizes[l + 1]) &&
      biases.every((b, l) => b.length === sizes[l + 1]),
    'layer arrays that do not match the sizes',
  ),
);

const image = v.array(measured);

const savedRunSchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  config: configSchema,
  backend: v.string(),
  result: resultSchema,
  theorem: v.nullable(theoremResult),
  digits: v.nullable(
    v.pipe(
      v.object({ images: v.array(image), labels: v.array(count) }),
      v.check(({ images, labels }) => images.length === labels.length, 'as many labels as digits'),
    ),
  ),
  noise: v.nullable(v.object({ images: v.array(image), auxProbabilities: v.array(numbers) })),
  ranAt: v.pipe(v.number(), v.finite()),
  drawWeights: v.optional(
    v.partial(
      v.object(
        Object.fromEntries(DRAW_MODELS.map((name) => [name, modelWeights])) as Record<
          (typeof DRAW_MODELS)[number],
          typeof modelWeights
        >,
      ),
    ),
  ),
}) satisfies v.GenericSchema<unknown, SavedRun>;

// Every field of a kept run is checked: a field added to KeptRun or SavedRun without a schema here fails to compile.
type Unchecked = Exclude<keyof SavedRun, keyof v.InferOutput<typeof savedRunSchema>>;
const everyFieldChecked: [Unchecked] extends [never] ? true : Unchecked = true;
void everyFieldChecked;

/** Longest piece of a stored value quoted in a reason, so a huge bad string cannot flood the page. */
const REASON_LIMIT = 160;

/** A stored record as the page may use it, or why not ("result.conditions: expected Object, found undefined"). */
export function readRecord(record: unknown): { run: SavedRun } | { problem: string } {
  const parsed = v.safeParse(savedRunSchema, record, { abortPipeEarly: true });
  if (parsed.success) return { run: parsed.output };
  const [issue] = parsed.issues;
  const where = v.getDotPath(issue) ?? 'the record';
  const what =
    issue.kind !== 'schema' || issue.expected === null
      ? issue.message
      : issue.received === 'undefined' && issue.type === 'object'
        ? 'missing' // valibot names the missing key as what it expected
        : `expected ${issue.expected}, found ${issue.received}`;
  const reason = `${where}: ${what}`;
  return { problem: reason.length > REASON_LIMIT ? `${reason.slice(0, REASON_LIMIT)}…` : reason };
}
