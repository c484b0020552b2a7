// ESLint flat config (ESLint 10). `npm run lint` runs this and `prettier --check`; formatting is
// Prettier's alone (eslint-config-prettier, last, turns off every rule that would disagree with it).
import js from '@eslint/js';
import { defineConfig, globalIgnores, includeIgnoreFile } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';

export default defineConfig(
  // What git ignores (dist/, dist-cli/, coverage/, public/data/, ...); Prettier reads .gitignore itself.
  includeIgnoreFile(fileURLToPath(new URL('.gitignore', import.meta.url))),
  // AssemblyScript: TypeScript syntax with its own types (i32, f64, load<T>), not checkable as TS.
  globalIgnores(['**/assembly/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names mark a parameter or element kept for its position (tsc's noUnused* agree).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Environments, by folder. For TypeScript files typescript-eslint turns `no-undef` off (tsc checks
  // names against tsconfig's lib and types), so these matter to the JavaScript files and to rules
  // that know globals; they still say where each folder's code runs.
  {
    // The engine, shared by the page's workers and the command line.
    files: ['src/experiment/**/*.ts', 'src/data/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx', 'src/worker/client.ts', 'src/worker/registerServiceWorker.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/worker/**/*.ts'],
    ignores: ['src/worker/client.ts', 'src/worker/registerServiceWorker.ts'],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ['src/cli/**/*.ts', 'scripts/**/*.ts', 'test/**/*.{ts,tsx}', '*.config.{js,ts}', '.dependency-cruiser.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The component tests render into jsdom.
    files: ['test/ui/**/*.{ts,tsx}', 'test/support/ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Hand-written (a build only prepends its precache manifest); a classic script.
    files: ['public/sw.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  // React: the hooks' rules, and the React Compiler's (v7's recommended set) on the page's code.
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'test/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Small files with one job, small functions: every line counts (comments and blank lines too,
  // the rules' defaults). Import rules between src's folders are dependency-cruiser's
  // (.dependency-cruiser.cjs). digests.ts is written by scripts/prepare-data.ts, not by hand.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/data/digests.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  prettier,
);
