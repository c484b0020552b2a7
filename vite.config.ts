import { execFileSync } from 'node:child_process';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes gzipped MNIST into public/data before the dev server or a build starts (quick when the
 * files are up to date). Run as its own process so the config does not pull Node code into Vite.
 */
function mnistData(): Plugin {
  return {
    name: 'subliminal-mnist-data',
    buildStart() {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-data.ts', 'public/data'], { stdio: 'inherit' });
    },
  };
}

export default defineConfig({
  plugins: [mnistData()],
  server: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
});
