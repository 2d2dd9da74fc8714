// A Vite plugin that gives the site its own Korean font, so the default language reads the
// same on a machine without one (many Linux installs, kiosks, fresh containers) and offline.
// Source: Noto Sans KR (SIL Open Font License 1.1, no reserved names), the Hangul file of
// @fontsource/noto-sans-kr (all 11,172 syllables, ~540 KB per weight). At build start it is cut
// with HarfBuzz (subset-font) to the Hangul the site actually shows: the Korean chapters and the
// interface's strings, about 530 syllables and 34 KB per weight. lab.css declares the faces
// with a Hangul-only unicode-range, after the system's own Korean fonts: a browser fetches them
// only when it has nothing better, and the service worker precaches them like any asset.
// Syllables a reader types that the chapters do not use fall back to the system's fonts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';

const require = createRequire(import.meta.url);
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/u;
const WEIGHTS = [400, 700]; // as lab.css's @font-face rules

function filesUnder(dir, test) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full, test) : test(e.name) ? [full] : [];
  });
}

/** The distinct Hangul characters of the given files, sorted. */
function hangulIn(files) {
  const seen = new Set();
  for (const f of files) for (const ch of fs.readFileSync(f, 'utf8')) if (HANGUL.test(ch)) seen.add(ch);
  return [...seen].sort().join('');
}

const LICENSE = require.resolve('@fontsource/noto-sans-kr/LICENSE'); // the package exports no font paths
const sourceFont = (weight) =>
  fs.readFileSync(path.join(path.dirname(LICENSE), 'files', `noto-sans-kr-korean-${weight}-normal.woff2`));

/**
 * Writes <outDir>/noto-sans-kr-<weight>.woff2 for every weight, holding the Hangul of
 * `textFiles`; skipped when a stamp says the same characters were already cut.
 * Resolves to whether it cut them.
 */
async function writeKoreanFonts({ textFiles, outDir }) {
  const chars = hangulIn(textFiles);
  // A new set of characters, weights or source font version cuts the files again.
  const source = JSON.parse(fs.readFileSync(path.join(path.dirname(LICENSE), 'package.json'), 'utf8')).version;
  const stamp = crypto.createHash('sha256').update(chars).update(WEIGHTS.join()).update(source).digest('hex').slice(0, 16);
  const stampFile = path.join(outDir, 'stamp.txt');
  const outputs = WEIGHTS.map((w) => path.join(outDir, `noto-sans-kr-${w}.woff2`));
  const fresh = fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && outputs.every((f) => fs.existsSync(f));
  if (!fresh) {
    fs.mkdirSync(outDir, { recursive: true });
    for (const [i, w] of WEIGHTS.entries()) {
      fs.writeFileSync(outputs[i], await subsetFont(sourceFont(w), chars, { targetFormat: 'woff2' }));
    }
    fs.writeFileSync(stampFile, stamp);
  }
  return !fresh;
}

export default function koreanFont({ tutorialsDir, webDir }) {
  const outDir = path.join(webDir, 'src/site/fonts');
  const textFiles = () => [
    ...filesUnder(path.join(tutorialsDir, 'ko'), (n) => n.endsWith('.md')),
    ...filesUnder(path.join(webDir, 'src'), (n) => /\.(js|html)$/.test(n)),
    ...fs.readdirSync(webDir).filter((n) => n.endsWith('.html')).map((n) => path.join(webDir, n)),
  ];
  return {
    name: 'gradlab-korean-font',
    async buildStart() {
      const files = textFiles();
      await writeKoreanFonts({ textFiles: files, outDir });
      for (const f of files) this.addWatchFile(f);
    },
    // In the dev server: Hangul new to a chapter or the interface cuts the font again.
    async handleHotUpdate({ file, server }) {
      const files = textFiles();
      if (!files.includes(file)) return;
      if (await writeKoreanFonts({ textFiles: files, outDir })) server.ws.send({ type: 'full-reload' });
    },
    generateBundle() {
      // The licence travels with the font files it covers.
      const license = fs.readFileSync(LICENSE, 'utf8');
      this.emitFile({ type: 'asset', fileName: 'assets/noto-sans-kr-LICENSE.txt', source: license });
    },
  };
}
