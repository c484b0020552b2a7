import { describe, expect, it } from 'vitest';
import { joinSignedValues, parseCli, usage } from '../../src/cli/args';
import { CONFIG_KEYS, FIELDS, preset, type ExperimentConfig } from '../../src/experiment/config';

/** The flag of every setting, spelled out by hand. */
const KEBAB: Record<keyof ExperimentConfig, string> = {
  models: 'models',
  auxLogits: 'aux-logits',
  hidden: 'hidden',
  teacherEpochs: 'teacher-epochs',
  trainImages: 'train-images',
  trait: 'trait',
  studentEpochs: 'student-epochs',
  noiseImages: 'noise-images',
  noise: 'noise',
  distillLoss: 'distill-loss',
  mitigation: 'mitigation',
  liminalWeight: 'liminal-weight',
  liminalWindow: 'liminal-window',
  studentInitNoise: 'student-init-noise',
  freshLayers: 'fresh-layers',
  generations: 'generations',
  learningRate: 'learning-rate',
  batchSize: 'batch-size',
  seed: 'seed',
  curvePoints: 'curve-points',
  curveTestImages: 'curve-test-images',
  curveSpacing: 'curve-spacing',
};

/** A valid value for each setting that differs from the paper preset, as text and as parsed. */
const OTHER_VALUE: Record<keyof ExperimentConfig, [string, unknown]> = {
  models: ['4', 4],
  auxLogits: ['7', 7],
  hidden: ['64,32', [64, 32]],
  teacherEpochs: ['2', 2],
  trainImages: ['5000', 5000],
  trait: ['favourite', 'favourite'],
  studentEpochs: ['3', 3],
  noiseImages: ['7000', 7000],
  noise: ['gaussian', 'gaussian'],
  distillLoss: ['mse', 'mse'],
  mitigation: ['project', 'project'],
  liminalWeight: ['2.5', 2.5],
  liminalWindow: ['0.5', 0.5],
  studentInitNoise: ['0.01', 0.01],
  freshLayers: ['1,3', [1, 3]],
  generations: ['3', 3],
  learningRate: ['0.001', 0.001],
  batchSize: ['256', 256],
  seed: ['99', 99],
  curvePoints: ['0', 0],
  curveTestImages: ['200', 200],
  curveSpacing: ['log', 'log'],
};

describe('parseCli', () => {
  it('with no flags: the paper preset on wasm, no output file, no mode', () => {
    const { options, issues, errors } = parseCli([]);
    expect(errors).toEqual([]);
    expect(issues).toEqual([]);
    expect(options).toEqual({
      config: preset('paper'),
      preset: 'paper',
      backend: 'wasm',
      out: null,
      mode: undefined,
      alignment: false,
      sweep: null,
      shard: null,
      quiet: false,
      help: false,
    });
  });

  it('--sweep takes the sweep text as written (planned against the config later)', () => {
    expect(parseCli(['--sweep', 'm=1,2,3', '--preset', 'tiny']).options.sweep).toBe('m=1,2,3');
  });

  it('--kernels picks the CPU kernels: the SIMD kernel or the stock reference; anything else is named', () => {
    expect(parseCli(['--kernels', 'stock']).options.kernels).toBe('stock');
    expect(parseCli(['--kernels=simd']).options.kernels).toBe('simd');
    expect(parseCli([]).options.kernels).toBeUndefined();
    expect(parseCli(['--kernels', 'fast']).errors).toEqual(['--kernels fast is unknown: choose simd or stock']);
  });

  it('--alignment asks for the why measurements', () => {
    const { options, errors } = parseCli(['--alignment', '--preset', 'tiny']);
    expect(errors).toEqual([]);
    expect(options.alignment).toBe(true);
  });

  it('parses --preset paper --models 4 --backend wasm --out r.json', () => {
    const { options, issues, errors } = parseCli([
      '--preset',
      'paper',
      '--models',
      '4',
      '--backend',
      'wasm',
      '--out',
      'r.json',
    ]);
    expect(errors).toEqual([]);
    expect(issues).toEqual([]);
    expect(options.preset).toBe('paper');
    expect(options.config).toEqual({ ...preset('paper'), models: 4 });
    expect(options.backend).toBe('wasm');
    expect(options.out).toBe('r.json');
  });

  it('starts from the named preset', () => {
    const { options, errors, issues } = parseCli([
      '--models=2',
      '--preset=tiny',
      '--backend',
      'cpu',
      '--mode',
      'per-model',
      '--quiet',
    ]);
    expect(errors).toEqual([]);
    expect(issues).toEqual([]);
    expect(options.preset).toBe('tiny');
    expect(options.config).toEqual({ ...preset('tiny'), models: 2 });
    expect(options.backend).toBe('cpu');
    expect(options.mode).toBe('per-model');
    expect(options.quiet).toBe(true);
  });

  it('accepts every backend and both modes', () => {
    for (const backend of ['wasm', 'webgpu', 'cpu', 'auto']) {
      const { options, errors } = parseCli(['--backend', backend]);
      expect(errors, backend).toEqual([]);
      expect(options.backend).toBe(backend);
    }
    for (const mode of ['batched', 'per-model']) {
      const { options, errors } = parseCli(['--mode', mode]);
      expect(errors, mode).toEqual([]);
      expect(options.mode).toBe(mode);
    }
  });

  it('takes kebab-case, camelCase and alias flags', () => {
    expect(parseCli(['--aux-logits', '5']).options.config.auxLogits).toBe(5);
    expect(parseCli(['--auxLogits', '5']).options.config.auxLogits).toBe(5);
    expect(parseCli(['--m', '5']).options.config.auxLogits).toBe(5);
    expect(parseCli(['--lr', '0.001']).options.config.learningRate).toBe(0.001);
    expect(parseCli(['--learning-rate', '0.002']).options.config.learningRate).toBe(0.002);
    expect(parseCli(['--epochs', '7']).options.config.studentEpochs).toBe(7);
    expect(parseCli(['--curve-test-images=300']).options.config.curveTestImages).toBe(300);
    for (const argv of [
      ['--aux-logits', '5'],
      ['--auxLogits', '5'],
      ['--m', '5'],
      ['--lr', '0.001'],
    ]) {
      const { errors, issues, options } = parseCli(argv);
      expect(errors, argv.join(' ')).toEqual([]);
      expect(issues, argv.join(' ')).toEqual([]);
      // nothing else moves
      expect(options.config.models).toBe(10);
      expect(options.config.teacherEpochs).toBe(5);
    }
  });

  it('takes every setting by its kebab-case and camelCase flag', () => {
    for (const field of CONFIG_KEYS) {
      const [text, value] = OTHER_VALUE[field];
      for (const flag of [`--${KEBAB[field]}`, `--${field}`]) {
        const { options, errors, issues } = parseCli([flag, text]);
        expect(errors, flag).toEqual([]);
        expect(issues, flag).toEqual([]);
        expect(options.config, flag).toEqual({ ...preset('paper'), [field]: value });
      }
    }
  });

  it('--hidden 64,32 gives two layers', () => {
    const { options, issues } = parseCli(['--hidden', '64,32']);
    expect(issues).toEqual([]);
    expect(options.config.hidden).toEqual([64, 32]);
    expect(parseCli(['--hidden', '512']).options.config.hidden).toEqual([512]);
  });

  it('reports an out-of-range setting as an issue that names it, keeping the preset value', () => {
    const { options, issues, errors } = parseCli(['--models', '0', '--aux-logits', '4']);
    expect(errors).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe('models');
    expect(issues[0].message).toContain('models');
    expect(issues[0].message).toContain('from 1 to 1000');
    expect(options.config.models).toBe(10);
    expect(options.config.auxLogits).toBe(4);
  });

  it('reports bad values of other settings too', () => {
    expect(parseCli(['--noise', 'pink']).issues.map((issue) => issue.field)).toEqual(['noise']);
    expect(parseCli(['--hidden', '64,x']).issues.map((issue) => issue.field)).toEqual(['hidden']);
    expect(parseCli(['--lr', 'fast']).issues.map((issue) => issue.field)).toEqual(['learningRate']);
    expect(parseCli(['--seed=-1']).issues.map((issue) => issue.field)).toEqual(['seed']);
    expect(parseCli(['--preset', 'huge']).issues.map((issue) => issue.field)).toEqual(['preset']);
  });

  it('an unknown flag is an error', () => {
    const { errors } = parseCli(['--bogus', '1']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('bogus');
    expect(parseCli(['--modles', '3']).errors).toHaveLength(1);
    // the field-name forms of the text form are not flags with other spellings
    expect(parseCli(['--aux_logits', '3']).errors).toHaveLength(1);
  });

  it('a positional argument or a missing value is an error', () => {
    expect(parseCli(['paper']).errors).toHaveLength(1);
    const missing = parseCli(['--models']);
    expect(missing.errors).toHaveLength(1);
    expect(missing.errors[0]).toContain('models');
  });

  it('an unknown backend is an error, and the backend stays wasm', () => {
    const { options, errors } = parseCli(['--backend', 'gpu']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('gpu');
    expect(errors[0]).toContain('wasm, webgpu, cpu, auto');
    expect(options.backend).toBe('wasm');
  });

  it('an unknown mode is an error', () => {
    const { errors } = parseCli(['--mode', 'x']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('--mode x');
    expect(errors[0]).toContain('batched');
    expect(errors[0]).toContain('per-model');
  });

  it('errors and issues are reported together', () => {
    const { errors, issues } = parseCli(['--backend', 'gpu', '--mode', 'fast', '--models', '0']);
    expect(errors).toHaveLength(2);
    expect(issues.map((issue) => issue.field)).toEqual(['models']);
  });

  it('a signed number after a flag gets the field\'s own message, not parseArgs\' "ambiguous"', () => {
    for (const argv of [['--models', '-1'], ['--models=-1']]) {
      const { errors, issues } = parseCli(argv);
      expect(errors, argv.join(' ')).toEqual([]);
      expect(issues.map((issue) => issue.field)).toEqual(['models']);
      expect(issues[0].message).toMatch(/models.*-1.*from 1 to 1000/);
    }
    const signed = parseCli(['--lr', '-0.1', '--seed', '-5', '--preset', 'tiny']);
    expect(signed.errors).toEqual([]);
    expect(signed.issues.map((issue) => issue.field)).toEqual(['learningRate', 'seed']);
    expect(signed.issues[0].message).toContain('-0.1');
    expect(signed.issues[1].message).toContain('-5');
    expect(signed.options.preset).toBe('tiny');
    const workers = parseCli(['--workers', '-2']);
    expect(workers.errors).toEqual([
      '--workers -2 is out of range: allowed is a whole number from 1 to 1000, in decimal digits',
    ]);
  });

  it('a flag after a flag with no value is still a missing value, not a negative number', () => {
    const { errors } = parseCli(['--models', '--quiet']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('--models');
  });

  it('joinSignedValues joins only value flags followed by a signed number', () => {
    const flags = new Set(['models', 'lr']);
    expect(joinSignedValues(['--models', '-1', '--lr', '-.5', '--quiet'], flags)).toEqual([
      '--models=-1',
      '--lr=-.5',
      '--quiet',
    ]);
    expect(joinSignedValues(['--models', '-Infinity'], flags)).toEqual(['--models=-Infinity']);
    expect(joinSignedValues(['--quiet', '-1'], flags)).toEqual(['--quiet', '-1']);
    expect(joinSignedValues(['--models', '-h'], flags)).toEqual(['--models', '-h']);
  });

  it('--workers and --chunk take decimal digits only', () => {
    expect(parseCli(['--workers', '2', '--chunk', '3']).options).toMatchObject({ workers: 2, chunk: 3 });
    for (const text of ['0x2', '1e1', '2.0', '0', '1001', '']) {
      const { errors, options } = parseCli(['--chunk', text]);
      expect(errors, text).toEqual([
        `--chunk ${text} is out of range: allowed is a whole number from 1 to 1000, in decimal digits`,
      ]);
      expect(options.chunk).toBeUndefined();
    }
  });

  it('--shard K/N takes shard K (1-based) of N, and needs --out', () => {
    expect(parseCli(['--shard', '2/4', '--out', 'p.json'])).toMatchObject({
      options: { shard: { index: 2, count: 4 } },
      errors: [],
    });
    expect(parseCli(['--shard', ' 1 / 1 ', '--out', 'p.json']).options.shard).toEqual({ index: 1, count: 1 });
    expect(parseCli(['--shard', '1/2']).errors).toEqual([
      "--shard 1/2 needs --out FILE: a shard's result is for `npm run merge`",
    ]);
  });

  it('--shard refuses what is not K/N with 1 ≤ K ≤ N, saying which part is wrong', () => {
    const errorOf = (text: string) => parseCli(['--shard', text, '--out', 'p.json']).errors;
    for (const text of ['2', '1/', '/4', 'a/b', '1/2/3', '-1/4', '1.5/4', '0x1/4'])
      expect(errorOf(text), text).toEqual([`--shard ${text} must read K/N (shard K of N, e.g. 1/4)`]);
    expect(errorOf('0/4')).toEqual(['--shard 0/4: K is out of range: allowed is 1 to 4 (K of N)']);
    expect(errorOf('5/4')).toEqual(['--shard 5/4: K is out of range: allowed is 1 to 4 (K of N)']);
    expect(errorOf('1/0')[0]).toMatch(/^--shard 1\/0: N is out of range/);
    expect(parseCli(['--shard', '5/4', '--out', 'p.json']).options.shard).toBeNull();
  });

  it('a flag given twice is refused with both values named, and neither is used', () => {
    const models = parseCli(['--models', '3000', '--models', '2']);
    expect(models.errors).toEqual(['--models is given 2 times (--models 3000, --models 2): give it once']);
    expect(models.issues).toEqual([]);
    expect(models.options.config.models).toBe(preset('paper').models);
    for (const [flag, first, second] of [
      ['preset', 'tiny', 'quick'],
      ['out', 'a.json', 'b.json'],
      ['backend', 'cpu', 'wasm'],
      ['sweep', 'm=1,2', 'm=3'],
      ['workers', '2', '3'],
    ]) {
      const { errors } = parseCli([`--${flag}`, first, `--${flag}=${second}`]);
      expect(errors, flag).toEqual([
        `--${flag} is given 2 times (--${flag} ${first}, --${flag} ${second}): give it once`,
      ]);
    }
    // Different spellings of one setting are the same setting given twice.
    expect(parseCli(['--m', '3', '--auxLogits', '4', '--aux-logits', '5']).errors).toEqual([
      '--aux-logits is given 3 times (--m 3, --auxLogits 4, --aux-logits 5): give it once',
    ]);
    expect(parseCli(['--lr', '-0.1', '--learning-rate', '0.2']).errors).toEqual([
      '--learning-rate is given 2 times (--lr -0.1, --learning-rate 0.2): give it once',
    ]);
    // A switch given twice says the same thing twice: nothing to choose between.
    expect(parseCli(['--quiet', '--quiet']).errors).toEqual([]);
  });

  it('--help and -h ask for help', () => {
    expect(parseCli(['--help']).options.help).toBe(true);
    expect(parseCli(['-h']).options.help).toBe(true);
    expect(parseCli(['--quiet']).options.help).toBe(false);
  });
});

describe('usage', () => {
  const text = usage();
  const lines = text.split('\n');

  it('lists every setting by its kebab-case flag, with its help and range', () => {
    expect(CONFIG_KEYS).toHaveLength(Object.keys(KEBAB).length);
    for (const field of CONFIG_KEYS) {
      const flag = `--${KEBAB[field]}`;
      const line = lines.find((l) => l.trimStart().startsWith(`${flag} `));
      expect(line, flag).toBeDefined();
      expect(line!).toContain(FIELDS[field].help);
      const spec = FIELDS[field];
      if (spec.kind === 'choice') for (const value of spec.values) expect(line!, flag).toContain(value);
      else {
        expect(line!, flag).toContain(String(spec.min));
        expect(line!, flag).toContain(String(spec.max));
      }
    }
  });

  it('names the aliases, the presets, backends, modes and the other running flags', () => {
    expect(text).toContain('--m = --aux-logits');
    expect(text).toContain('--lr = --learning-rate');
    expect(text).toContain('--epochs = --student-epochs');
    expect(text).toContain('paper|quick|tiny');
    expect(text).toContain('wasm|webgpu|cpu|auto');
    expect(text).toContain('batched|per-model');
    for (const flag of ['--preset', '--backend', '--mode', '--out', '--quiet']) expect(text).toContain(flag);
  });

  it('every flag it lists is one parseCli accepts', () => {
    const flags = new Set<string>();
    for (const match of text.matchAll(/(?:^|[\s[])(--[a-z][a-z-]*)/g)) flags.add(match[1]);
    expect(flags.size).toBeGreaterThan(CONFIG_KEYS.length);
    for (const flag of flags) {
      const argv =
        flag === '--quiet' || flag === '--alignment'
          ? [flag]
          : flag === '--backend'
            ? [flag, 'cpu']
            : flag === '--mode'
              ? [flag, 'batched']
              : flag === '--kernels'
                ? [flag, 'stock']
                : flag === '--preset'
                  ? [flag, 'tiny']
                  : flag === '--out'
                    ? [flag, 'x.json']
                    : flag === '--shard'
                      ? [flag, '1/2', '--out', 'x.json']
                      : [flag, '2'];
      const { errors } = parseCli(argv);
      expect(errors, flag).toEqual([]);
    }
  });
});
