import { defineConfig, type Plugin } from 'vite';
import { prepareData } from './scripts/prepare-data';

/** Writes gzipped MNIST into public/data before the dev server or a build starts. */
function mnistData(): Plugin {
  return {
    name: 'subliminal-mnist-data',
    async buildStart() {
      await prepareData('public/data', { log: (line) => this.info(line) });
    },
  };
}

export default defineConfig({
  plugins: [mnistData()],
  server: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
});
