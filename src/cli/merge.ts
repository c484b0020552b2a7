/**
 * `npm run merge -- part1.json part2.json … --out all.json`: joins the files of a run (or sweep)
 * sharded with --shard K/N into exactly what the unsharded run would have written with --out.
 * The checks and the merge are shardMerge.ts's; this reads the files and writes the result.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeError } from '../base/describeError';
import { keepResult, keptMessage } from './keepResult';
import { outPathProblem, reasonOf } from './outFile';
import { mergeShards, type NamedPart } from './shardMerge';

const USAGE = `Usage: npm run merge -- part1.json part2.json … --out all.json

Joins the --out files of the shards of one run (npm run experiment -- … --shard K/N --out part-K.json),
or of one sweep, into the result the unsharded run would have written: every model (or sweep value)
must be in exactly one part, and every part must be of the same settings. Seconds are the parts'
summed; the backend lists each one the parts ran on.`;

/** Each file's JSON, or why it could not be read. */
function readParts(paths: string[]): { parts: NamedPart[]; errors: string[] } {
  const parts: NamedPart[] = [];
  const errors: string[] = [];
  for (const name of paths) {
    try {
      parts.push({ name, data: JSON.parse(readFileSync(name, 'utf8')) as unknown });
    } catch (error) {
      errors.push(
        `${name} could not be read as JSON (${error instanceof SyntaxError ? error.message : reasonOf(error)})`,
      );
    }
  }
  return { parts, errors };
}

function fail(errors: string[]): number {
  for (const message of errors) console.error(`error: ${message}`);
  return 2;
}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    return fail([describeError(error), 'run with --help for how to use it']);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.out) return fail(['--out FILE is needed: where the merged result goes']);
  if (positionals.length === 0) return fail(['no shard files given: name each part.json to merge']);
  const outProblem = outPathProblem(values.out);
  if (outProblem) return fail([outProblem]);
  const { parts, errors } = readParts(positionals);
  if (errors.length > 0) return fail(errors);
  const merged = mergeShards(parts);
  if (!merged.output) return fail(merged.errors);
  const where = keepResult(values.out, JSON.stringify(merged.output, null, 2));
  console.error(`merged ${parts.length} parts; ${keptMessage(values.out, where)}`);
  return where.where === 'out' ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`error: ${describeError(error)}`);
  process.exitCode = 1;
}
