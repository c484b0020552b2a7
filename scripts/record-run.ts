/**
 * Makes the recorded default run the page can replay (public/recorded/quick.json) from a result
 * of the command line, with the sample digits its guesses are of and where it ran:
 *
 *   npm run experiment -- --preset quick --alignment --out /tmp/quick.json
 *   npx tsx scripts/record-run.ts /tmp/quick.json
 */
import { cpus } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultMnistDirectory, loadMnistFromDirectory } from '../src/data/loadNode';
import { sampleDigitsEvent } from '../src/experiment/run/context';
import type { ExperimentResult } from '../src/experiment/results';
import type { Recording } from '../src/ui/replay/recorded';

const [from, out = 'public/recorded/quick.json'] = process.argv.slice(2);
if (!from) {
  console.error('usage: npx tsx scripts/record-run.ts <result.json from npm run experiment> [out.json]');
  process.exit(2);
}
const result = JSON.parse(readFileSync(from, 'utf8')) as ExperimentResult & { complete?: boolean };
const data = await loadMnistFromDirectory(defaultMnistDirectory());
const digits = sampleDigitsEvent(data);
if (digits.type !== 'digits') throw new Error('no sample digits');
const cores = cpus();
const recording: Recording = {
  recordedAt: new Date().toISOString(),
  machine: `a ${cores.length}-core ${cores[0]?.model.trim() ?? 'CPU'} (${result.backend}), quick preset, ${result.config.models} models`,
  command: 'npm run experiment -- --preset quick --alignment',
  run: {
    result: { ...result, complete: undefined } as ExperimentResult,
    theorem: result.theorem ?? null,
    digits: { images: digits.images, labels: digits.labels },
    noise: null,
  },
};
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(recording));
console.log(`wrote ${out} (${(JSON.stringify(recording).length / 1024).toFixed(0)} KiB)`);
