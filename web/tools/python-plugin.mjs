// A Vite plugin for Python cells: Pyodide (npm `pyodide`) and the lab's own Python packages
// (web/src/python/**/*.py), served by the site itself and fetched only when a Python cell
// first runs (runner/python-assets.js).
//   python/pyodide-<version>/{pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm,
//     python_stdlib.zip, pyodide-lock.json}     copied as shipped (the version in the folder's
//                                               name: a new Pyodide is a new URL)
//   python/gradlab-python-<hash>.json           { 'torch/__init__.py': text, ... }
//   virtual:gradlab-python                      for the page: files [{ name, path, bytes }], and
//                                               snapshotKey, which names this build of Pyodide
//                                               (a memory snapshot of it is kept under that key)
// The service worker does not precache these files: it caches each when first fetched, checked
// against the SHA-256 the build wrote (precache-plugin.mjs, `isPythonFile`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PYODIDE_DIR = path.dirname(require.resolve('pyodide/pyodide.mjs'));
const PYODIDE_VERSION = JSON.parse(fs.readFileSync(path.join(PYODIDE_DIR, 'package.json'), 'utf8')).version;
export const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];

const VIRTUAL = 'virtual:gradlab-python';
const FOLDER = 'python';

/** True for a built file of this plugin (the service worker caches it when first used). */
export const isPythonFile = (builtFile) => builtFile.startsWith(`${FOLDER}/`);

/** { 'torch/__init__.py': text, ... } for every .py file under `dir`, in a stable order. */
export function labPythonFiles(dir) {
  const files = {};
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.py')) files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** Pyodide's version and a hash of its files: a memory snapshot of one build fits no other. */
function snapshotKey() {
  const hash = crypto.createHash('sha256');
  for (const name of PYODIDE_FILES) hash.update(fs.readFileSync(path.join(PYODIDE_DIR, name)));
  return `${PYODIDE_VERSION}-${hash.digest('hex').slice(0, 12)}`;
}

export default function python({ pythonDir }) {
  let isBuild = false;
  // What the page fetches: name (what the worker calls it), path under the site, bytes.
  const manifest = () => {
    const lab = JSON.stringify(labPythonFiles(pythonDir));
    const labHash = crypto.createHash('sha256').update(lab).digest('hex').slice(0, 10);
    const files = PYODIDE_FILES.map((name) => ({
      name,
      path: `${FOLDER}/pyodide-${PYODIDE_VERSION}/${name}`,
      source: () => fs.readFileSync(path.join(PYODIDE_DIR, name)),
      bytes: fs.statSync(path.join(PYODIDE_DIR, name)).size,
    }));
    files.push({ name: 'lab.json', path: `${FOLDER}/gradlab-python-${labHash}.json`, source: () => lab, bytes: Buffer.byteLength(lab) });
    return files;
  };
  return {
    name: 'gradlab-python',
    configResolved(config) {
      isBuild = config.command === 'build';
    },
    resolveId(id) {
      return id === VIRTUAL ? `\0${VIRTUAL}` : null;
    },
    load(id) {
      if (id !== `\0${VIRTUAL}`) return null;
      if (!isBuild) for (const name of Object.keys(labPythonFiles(pythonDir))) this.addWatchFile(path.join(pythonDir, name));
      const files = manifest().map(({ name, path: p, bytes }) => ({ name, path: p, bytes }));
      return (
        `export const version = ${JSON.stringify(PYODIDE_VERSION)};\nexport const files = ${JSON.stringify(files)};\n` +
        `export const snapshotKey = ${JSON.stringify(snapshotKey())};\n`
      );
    },
    generateBundle() {
      for (const f of manifest()) this.emitFile({ type: 'asset', fileName: f.path, source: f.source() });
    },
    // The dev server serves the same paths.
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = decodeURIComponent((req.url ?? '').split('?')[0]);
        const file = manifest().find((f) => url.endsWith(`/${f.path}`));
        if (!file) return next();
        res.setHeader('Content-Type', file.name.endsWith('.wasm') ? 'application/wasm' : file.name.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream');
        res.end(file.source());
      });
    },
  };
}
