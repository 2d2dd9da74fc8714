// Builds the static site. Relative base so dist/ works from any sub-folder,
// a USB stick or an intranet; everything is bundled, nothing comes from a CDN.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: './',
  publicDir: 'public', // holds engine/gradlab-engine.{mjs,wasm}, copied as is
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022', // top-level await and class fields in the lab code
  },
  worker: {
    format: 'es', // module workers: the worker imports the engine as an ES module
  },
});
