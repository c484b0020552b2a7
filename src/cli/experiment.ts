/**
 * `npm run experiment -- [flags]`: the experiment headless in Node. Progress on stderr, the
 * paper-style table on stdout, the full result as JSON with --out. With --sweep, the experiment at
 * each value of one setting, and a table of accuracy against the value.
 */
import { fileURLToPath } from 'node:url';
import { describeError } from '../base/describeError';
import { planSweep } from '../experiment/sweep/sweep';
import { parseCli, usage } from './args';
import { outPathProblem } from './outFile';
import { emptyShardProblem } from './shard';
import { relay, tsxCommandLoader } from './tsxRelay';

async function main(): Promise<number> {
  // Under the tsx command, a busy run would be killed on Ctrl-C before it could write: relay instead.
  const loader = tsxCommandLoader();
  if (loader) return relay(loader, fileURLToPath(import.meta.url), process.argv.slice(2));
  const { options, issues, errors } = parseCli(process.argv.slice(2));
  if (options.help) {
    console.log(usage());
    return 0;
  }
  const planned = options.sweep === null ? null : planSweep(options.config, options.sweep);
  const problems = [...errors, ...issues.map((issue) => issue.message), ...(planned?.issues ?? [])];
  const emptyShard = options.shard && emptyShardProblem(options.shard, options.config, planned?.plan ?? null);
  if (emptyShard) problems.push(emptyShard);
  if (problems.length > 0) {
    for (const message of problems) console.error(`error: ${message}`);
    console.error('\nRun with --help for every setting and its range.');
    return 2;
  }
  // Before the backend and MNIST load: a path that cannot be written is found now, not after the run.
  const outProblem = options.out === null ? null : outPathProblem(options.out);
  if (outProblem) {
    console.error(`error: ${outProblem}`);
    return 2;
  }

  // Only now the engine loads (TensorFlow.js, its backends, MNIST): bad flags and a bad --out are
  // refused in a fraction of a second rather than after it has loaded.
  const { runExperiment } = await import('./runExperiment');
  return runExperiment(options, planned?.plan ?? null);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${describeError(error)}`);
    process.exit(1);
  },
);
