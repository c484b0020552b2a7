// dependency-cruiser (`npm run lint` runs `depcruise src --config .dependency-cruiser.cjs`): the
// import rules of src/. Imports flow one way, from the entry points in to the engine:
//
//   main.tsx → ui ─→ worker/client, worker/protocol ┐
//   cli ────────────────────────────────────────────┼→ experiment → data → base
//   worker (the page's workers) ────────────────────┘
//
// base imports nothing of ours; data only base; experiment only itself, data and base: the engine
// knows nothing of React, the page, the workers or the command line, so both the page and Node run
// it. No cycles at all, `import type` included. Only src/ is cruised (not test/ or scripts/).
// A worker is started with `new Worker(new URL('./x.worker.ts', import.meta.url))`, which is not an
// import: such edges are not seen here, and need no rule.

/** A path pattern for the named folders of src/: `^src/(a|b)/`. */
const layer = (...names) => `^src/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle (type-only imports count) means two modules are one; split out what both need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'base-imports-nothing',
      severity: 'error',
      comment: 'src/base is the bottom layer: plain helpers that import nothing of the project.',
      from: { path: layer('base') },
      to: { path: '^src/', pathNot: layer('base') },
    },
    {
      name: 'data-imports-only-base',
      severity: 'error',
      comment: 'src/data (MNIST files, digests, loading) stands on src/base alone.',
      from: { path: layer('data') },
      to: { path: '^src/', pathNot: layer('data', 'base') },
    },
    {
      name: 'experiment-imports-only-engine',
      severity: 'error',
      comment:
        'The engine (src/experiment) imports only itself, src/data and src/base: never the page, ' +
        'the workers or the command line.',
      from: { path: layer('experiment') },
      to: { path: '^src/', pathNot: layer('experiment', 'data', 'base') },
    },
    {
      name: 'engine-knows-no-react',
      severity: 'error',
      comment: 'The engine (src/experiment, src/data, src/base) runs in workers and Node: no React, no charts.',
      from: { path: layer('experiment', 'data', 'base') },
      to: { path: '(^|/)node_modules/(react|react-dom|recharts|scheduler)/' },
    },
    {
      name: 'worker-not-ui-or-cli',
      severity: 'error',
      comment: 'src/worker runs the engine for the page: it may use experiment, data and base, not ui or cli.',
      from: { path: layer('worker') },
      to: { path: layer('ui', 'cli') },
    },
    {
      name: 'cli-not-ui-or-worker',
      severity: 'error',
      comment:
        "src/cli is Node's front end: it may use experiment, data and base, not the page (ui) " +
        "or the page's workers (worker; the command line has its own part.worker).",
      from: { path: layer('cli') },
      to: { path: layer('ui', 'worker') },
    },
    {
      name: 'ui-talks-to-worker-through-client',
      severity: 'error',
      comment:
        'src/ui may use experiment, data and base, and of src/worker only its page-side API: ' +
        'client (starts the engine worker), protocol (the messages) and registerServiceWorker.',
      from: { path: layer('ui') },
      to: {
        path: layer('cli', 'worker'),
        pathNot: '^src/worker/(client|protocol|registerServiceWorker)\\.ts$',
      },
    },
    {
      name: 'nothing-imports-main',
      severity: 'error',
      comment: "src/main.tsx is the page's entry point; nothing imports it.",
      from: {},
      to: { path: '^src/main\\.tsx$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a typo, a missing package or a moved file.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // The AssemblyScript kernel source is not TypeScript that tsc can read; node_modules is a leaf
    // (imports of a package are recorded, its insides are not followed).
    exclude: { path: '^src/experiment/step/simd/assembly/' },
    doNotFollow: { path: ['node_modules'] },
    // `import type` and type-only re-exports are edges too (a type cycle is still a cycle).
    tsPreCompilationDeps: true,
    moduleSystems: ['es6', 'cjs'],
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    // Only what the rules above use is worked out (faster).
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
