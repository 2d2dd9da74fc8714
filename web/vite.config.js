// Builds the static site. Relative base so dist/ works from any sub-folder,
// a USB stick or an intranet; everything is bundled, nothing comes from a CDN.
// Two pages: index.html (the lab) and embed.html (one cell, for iframes).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import precache from './tools/precache-plugin.mjs';
import chapters from './tools/chapters-plugin.mjs';
import koreanFont from './tools/korean-font-plugin.mjs';
import sandbox from './tools/sandbox-plugin.mjs';
import python, { isPythonFile } from './tools/python-plugin.mjs';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

const korean = koreanFont({ tutorialsDir: fileURLToPath(new URL('../tutorials', import.meta.url)), webDir: webRoot });

export default defineConfig({
  root: webRoot,
  base: './',
  publicDir: 'public', // engine/gradlab-engine*.{mjs,wasm} and gradlab-embed.js, copied as is
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022', // top-level await and class fields in the lab code
    chunkSizeWarningLimit: 760, // the lab chunk (editor, plots, cell, knobs, downloads) is ~700 KB, 234 KB gzipped
    rollupOptions: {
      // The Korean font's files are copied at build start (3.7 MB on a fresh clone): expected,
      // not a slow plugin to report.
      checks: { pluginTimings: false },
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        embed: fileURLToPath(new URL('./embed.html', import.meta.url)),
      },
      output: {
        // Chunks named for what they hold: "start" (what boot.js needs to start the
        // engine at once: the runner, the sandbox and Vite's preload helper, a few KB) and "lab"
        // (everything else both pages share: the cell, the editor, the plots).
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [
            {
              name: 'start',
              priority: 2,
              test: /([\\/]web[\\/]src[\\/]runner[\\/](runner|engine|sandbox|messages|outbox)\.js$)|worker\.js\?worker&url$|preload-helper|virtual:gradlab-sandbox$/,
            },
            {
              // The autograd graph view, loaded when a cell draws a graph (dagre, its layout, is in
              // the view's worker: graph-layout-worker.js).
              name: 'graph-view',
              priority: 2,
              test: /[\\/]web[\\/]src[\\/]lab[\\/]plots[\\/]graph-chart\.js$/,
            },
            {
              // Python's highlighting and indentation for the editor, loaded when a Python cell is shown.
              name: 'python-editor',
              priority: 1,
              test: /[\\/]node_modules[\\/]@(codemirror[\\/]lang-python|lezer[\\/]python)[\\/]/,
            },
            {
              name: 'lab',
              priority: 1,
              // Not Python's editor support, which a Python cell loads when first shown.
              test: /[\\/](node_modules(?![\\/]@(codemirror[\\/]lang-python|lezer[\\/]python))|web[\\/]src[\\/](lab|state|chapters|runner|site[\\/](links|offline|i18n)\.js$|site[\\/]site\.css$))|virtual:gradlab-(chapters|python)$/,
            },
          ],
        },
      },
    },
  },
  server: {
    fs: { allow: ['..'] }, // the chapters live in ../tutorials
  },
  worker: {
    format: 'es', // module workers: the worker imports the engine as an ES module
  },
  plugins: [
    sandbox({ frameScript: fileURLToPath(new URL('./src/runner/sandbox-frame.js', import.meta.url)) }),
    chapters({ dir: fileURLToPath(new URL('../tutorials', import.meta.url)) }),
    korean,
    python({ pythonDir: fileURLToPath(new URL('./src/python', import.meta.url)) }),
    // Pyodide (13 MB) and the Korean font's rarer files are cached when first used, not at install.
    precache({
      template: fileURLToPath(new URL('./src/offline/service-worker.js', import.meta.url)),
      cacheWhenUsed: (f) => korean.cacheWhenUsed(f) || isPythonFile(f),
    }),
  ],
});
