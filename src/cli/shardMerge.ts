/**
 * `npm run merge`'s logic, without files: checks that shard files (shard.ts) are of one run or
 * sweep and together hold each of its models (or values) exactly once, and joins them into what
 * the unsharded command would have written with --out. Seconds are the shards' summed (the
 * machine time the run took, as an unsharded run on one such machine would); the backend names
 * each distinct backend the shards ran on.
 */
import type { ExperimentResult } from '../experiment/results';
import { mergeModelResults } from '../experiment/schedule/shardMerge';
import type { RunShardFile, ShardFile, SweepShardFile } from './shard';
import type { SweepFile } from './sweepFile';

export interface NamedPart {
  /** Where it came from, for messages (the file's path). */
  name: string;
  data: unknown;
}

export type Merged = { output: ExperimentResult | SweepFile; errors: [] } | { output: null; errors: string[] };

/** JSON with object keys sorted: two configs are one when these agree. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const isIndexList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((i) => Number.isInteger(i) && i >= 0);

/** Why `data` is not a shard file this merge can read, or null. */
function shapeProblem(data: unknown): string | null {
  const file = data as Partial<ShardFile> | null;
  if (!file || typeof file !== 'object' || (file.kind !== 'run-shard' && file.kind !== 'sweep-shard'))
    return 'is not a shard file (write one with --shard K/N --out FILE)';
  if (!file.config || typeof file.config !== 'object' || !file.shard) return 'has no config or no shard';
  if (file.kind === 'run-shard') {
    const { models } = file.shard as RunShardFile['shard'];
    if (!isIndexList(models) || !file.result?.conditions) return 'has no list of models or no result';
    if (file.result.crossSources.length !== models.length)
      return `holds ${file.result.crossSources.length} models' results for ${models.length} models`;
  } else {
    const { shard, points, sweep } = file as Partial<SweepShardFile>;
    const { values } = shard!;
    if (!isIndexList(values) || !Array.isArray(points) || !sweep) return 'has no list of values or no points';
    if (points.length !== values.length) return `holds ${points.length} points for ${values.length} values`;
  }
  return null;
}

/** The settings whose values differ between two configs, as "models 4 vs 8". */
function configDifference(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys
    .filter((key) => canonical(a[key]) !== canonical(b[key]))
    .map((key) => `${key} ${JSON.stringify(a[key])} vs ${JSON.stringify(b[key])}`)
    .join(', ');
}

/** Every way the parts are not of the first part's run or sweep. */
function sameRunProblems(parts: readonly { name: string; file: ShardFile }[]): string[] {
  const [first, ...rest] = parts;
  const problems: string[] = [];
  for (const { name, file } of rest) {
    const against = `${name} and ${first.name}`;
    if (file.kind !== first.file.kind) problems.push(`${against} are not both shards of a run, or both of a sweep`);
    else if (canonical(file.config) !== canonical(first.file.config))
      problems.push(
        `${against} are shards of different configs (${configDifference(file.config as never, first.file.config as never)})`,
      );
    else if (file.alignment !== first.file.alignment) problems.push(`${against} differ in --alignment`);
    else if (file.kind === 'sweep-shard' && canonical(file.sweep) !== canonical((first.file as SweepShardFile).sweep))
      problems.push(`${against} are shards of different sweeps`);
  }
  return problems;
}

/** Which of 0…total−1 are held by no part, and which by more than one; as messages. */
function coverageProblems(
  parts: readonly { name: string; held: number[] }[],
  total: number,
  what: string,
  counts: number[],
): string[] {
  const holders = Array.from({ length: total }, () => [] as string[]);
  const problems: string[] = [];
  for (const { name, held } of parts)
    for (const i of held) {
      if (i >= total) problems.push(`${name} holds ${what} ${i}, but there are only ${total} (0…${total - 1})`);
      else holders[i].push(name);
    }
  const missing = holders.flatMap((names, i) => (names.length === 0 ? [i] : []));
  const count = counts.every((n) => n === counts[0]) ? counts[0] : null;
  if (missing.length > 0) {
    const shards = count ? [...new Set(missing.map((i) => `${(i % count) + 1}/${count}`))] : [];
    const hint = shards.length > 0 ? ` (held by --shard ${shards.join(', --shard ')})` : '';
    problems.push(`missing ${what} ${missing.join(', ')} of 0…${total - 1}${hint}`);
  }
  for (const [i, names] of holders.entries())
    if (names.length > 1) problems.push(`${what} ${i} is in more than one part: ${names.join(', ')}`);
  return problems;
}

const backends = (labels: string[]) => [...new Set(labels)].join(' + ');
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function mergeRun(files: RunShardFile[]): ExperimentResult {
  const parts = files.map((file) => ({ models: file.shard.models, result: file.result }));
  const seconds = sum(files.map((file) => file.result.seconds));
  return mergeModelResults(files[0].config, parts, seconds, backends(files.map((file) => file.result.backend)));
}

function mergeSweep(files: SweepShardFile[]): SweepFile {
  const { config, sweep } = files[0];
  const points = files.flatMap((file) => file.points.map((point, i) => ({ index: file.shard.values[i], point })));
  points.sort((a, b) => a.index - b.index);
  return {
    kind: 'sweep',
    setting: sweep.setting,
    values: sweep.values,
    base: config,
    points: points.map(({ point }) => point),
    seconds: sum(files.map((file) => file.seconds)),
    complete: true,
  };
}

/** The merged result of `parts`, or every reason they cannot be merged. */
export function mergeShards(parts: readonly NamedPart[]): Merged {
  if (parts.length === 0) return { output: null, errors: ['no shard files given'] };
  const shapeErrors = parts.flatMap(({ name, data }) => {
    const problem = shapeProblem(data);
    return problem ? [`${name} ${problem}`] : [];
  });
  if (shapeErrors.length > 0) return { output: null, errors: shapeErrors };
  const files = parts.map(({ name, data }) => ({ name, file: data as ShardFile }));
  const mismatched = sameRunProblems(files);
  if (mismatched.length > 0) return { output: null, errors: mismatched };
  const first = files[0].file;
  const total = first.kind === 'run-shard' ? first.config.models : first.sweep.values.length;
  const held = files.map(({ name, file }) => ({
    name,
    held: file.kind === 'run-shard' ? file.shard.models : file.shard.values,
  }));
  const what = first.kind === 'run-shard' ? 'model' : 'sweep value';
  const uncovered = coverageProblems(
    held,
    total,
    what,
    files.map(({ file }) => file.shard.count),
  );
  if (uncovered.length > 0) return { output: null, errors: uncovered };
  const output =
    first.kind === 'run-shard'
      ? mergeRun(files.map(({ file }) => file as RunShardFile))
      : mergeSweep(files.map(({ file }) => file as SweepShardFile));
  return { output, errors: [] };
}
