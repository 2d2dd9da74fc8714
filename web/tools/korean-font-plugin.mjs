// A Vite plugin that gives the site its own Korean font, so that Korean reads the same on a
// machine without one (many Linux installs, kiosks, fresh containers), offline too, whatever a
// reader types: the chapters' words and "뷁" alike.
// Source: Noto Sans KR (SIL Open Font License 1.1, no reserved names) as @fontsource/noto-sans-kr
// ships it, split the way Google Fonts splits Korean: 120 numbered files per weight, each with
// its unicode-range, together every modern Hangul syllable (11,172), the compatibility jamo
// (ㄱ…ㅎ, ㅏ…ㅣ), 4,620 Hanja and CJK punctuation; 1.8 MB per weight, 6–27 KB a file. They are
// used as shipped (files and ranges), weights 400 and 700; the package's Latin, Cyrillic and
// Vietnamese files are left out (the site sets those in the system's fonts).
// At build start the plugin copies the files into web/src/site/fonts/ and writes korean.css
// there, declaring them as the family 'gradlab Korean' (korean-font.js imports it; Vite hashes
// and emits the files). lab.css lists that family after the systems' own Korean fonts, so a
// browser downloads a file only when it has no Korean font and the page draws a character of
// that file's range.
// Pages in every language show a few Korean words (the articles' titles, "한국어" in the language
// switch): korean-chrome-font.py merges their syllables into one small file per weight (3 KB,
// which Vite inlines into korean.css), and the split files' faces leave those syllables out of
// their ranges, so an English page fetches no Korean font file for them (it fetched 10). The
// faces' ranges hold Korean's own blocks only (Hangul, Hanja, CJK punctuation): the system's fonts
// set Latin, Greek and the signs.
// Offline (precache-plugin.mjs): the files holding the Hangul of the site's own text (the
// Korean chapters and the interface's strings) are precached; the others are cached by the
// service worker when first drawn, checked against the SHA-256 the build wrote (cacheWhenUsed).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const PACKAGE = path.dirname(require.resolve('@fontsource/noto-sans-kr/LICENSE')); // it exports no font paths
const FAMILY = 'gradlab Korean';
// The file of each weight and the weights it serves: every weight the site asks for matches one.
const WEIGHTS = [
  { file: 400, range: '100 500' },
  { file: 700, range: '600 900' },
];
const HANGUL = /[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]/u;

function filesUnder(dir, test) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full, test) : test(e.name) ? [full] : [];
  });
}

/** The numbered (Korean) subsets of the package: [{ id, ranges: [[lo, hi], ...], unicodeRange }]. */
export function koreanSubsets() {
  const json = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'unicode.json'), 'utf8'));
  return Object.entries(json)
    .filter(([key]) => /^\[\d+\]$/.test(key))
    .map(([key, unicodeRange]) => ({
      id: key.slice(1, -1),
      unicodeRange,
      ranges: unicodeRange.split(',').map((r) => {
        const [lo, hi] = r.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
        return [lo, hi ?? lo];
      }),
    }));
}

/** The ids of the subsets that hold the Hangul of `files`. */
function subsetsFor(files, subsets) {
  const codes = new Set();
  for (const f of files) for (const ch of fs.readFileSync(f, 'utf8')) if (HANGUL.test(ch)) codes.add(ch.codePointAt(0));
  return new Set(subsets.filter((s) => s.ranges.some(([lo, hi]) => [...codes].some((c) => c >= lo && c <= hi))).map((s) => s.id));
}

const fileName = (id, weight) => `noto-sans-kr-${id}-${weight}-normal.woff2`;
const chromeFileName = (weight) => `noto-sans-kr-chrome-${weight}.woff2`;
const CHROME_SCRIPT = fileURLToPath(new URL('./korean-chrome-font.py', import.meta.url));
// Debian's python3, which has python3-fonttools (a python3 earlier on PATH may be another one).
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
// The split files also hold Latin, Greek, general punctuation, arrows and maths signs. The faces
// claim only Korean's own blocks (below); the system's fonts set the rest, as on an English page.
// Otherwise a page whose system font stack falls through to 'gradlab Korean' fetched a Korean
// file for an "M", and a ρ or ‖ that a run first drew (a plot's legend) fetched one in the middle
// of the run: the face's arrival relaid the whole long Korean page, a 274 ms task (traced).
const KOREAN_BLOCKS = [
  [0x1100, 0x11ff], // Hangul Jamo
  [0x2e80, 0x2fdf], // CJK radicals
  [0x3000, 0x303f], // CJK symbols and punctuation
  [0x3130, 0x318f], // Hangul compatibility jamo
  [0x3200, 0x33ff], // enclosed CJK letters, CJK compatibility
  [0x3400, 0x4dbf], // Hanja: CJK extension A
  [0x4e00, 0x9fff], // Hanja: CJK unified ideographs
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7ff], // Hangul syllables, Hangul Jamo extended B
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xffef], // half- and full-width forms
];

/**
 * `ranges` ([[lo, hi], ...]) cut to Korean's blocks and without the code points of `taken` (a
 * string), as a unicode-range value ('' if nothing is left).
 */
function unicodeRangeOf(ranges, taken) {
  const hex = (n) => n.toString(16);
  const cuts = [...taken].map((ch) => ch.codePointAt(0)).sort((a, b) => a - b);
  const out = [];
  for (const [lo1, hi1] of ranges) {
    for (const [blo, bhi] of KOREAN_BLOCKS) {
      let lo = Math.max(lo1, blo);
      const hi = Math.min(hi1, bhi);
      if (lo > hi) continue;
      for (const c of cuts) {
        if (c < lo || c > hi) continue;
        if (c > lo) out.push([lo, c - 1]);
        lo = c + 1;
      }
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return out.map(([lo, hi]) => (lo === hi ? `U+${hex(lo)}` : `U+${hex(lo)}-${hex(hi)}`)).join(',');
}

/**
 * The Hangul that every page shows whatever its language: the articles' titles (Korean in both
 * languages, `article-NNN:` in tutorials/<lang>/index.md) and the language names of the switch.
 */
function chromeText(tutorialsDir, webDir) {
  const titles = filesUnder(tutorialsDir, (n) => n === 'index.md').flatMap((f) =>
    fs.readFileSync(f, 'utf8').split('\n').filter((line) => /^article-\d+:/.test(line)),
  );
  const names = /LANG_NAMES = \{[^}]*\}/.exec(fs.readFileSync(path.join(webDir, 'src/site/i18n.js'), 'utf8'));
  if (!titles.length || !names) throw new Error('korean-font-plugin: no article titles in tutorials/*/index.md or no LANG_NAMES in web/src/site/i18n.js');
  return [...new Set([...titles.join(''), ...names[0]].filter((ch) => /[\uac00-\ud7a3]/u.test(ch)))].sort().join('');
}

const face = (file, range, unicodeRange) =>
  `@font-face {\n  font-family: '${FAMILY}';\n  font-style: normal;\n  font-weight: ${range};\n  font-display: swap;\n` +
  `  src: url('./${file}') format('woff2');\n  unicode-range: ${unicodeRange};\n}\n`;

/**
 * Copies the subsets into outDir, makes the chrome files (one per weight, holding `chrome`) and
 * writes korean.css, unless a stamp says they are there already. The split files' faces leave
 * the chrome's syllables out of their ranges, so that no face overlaps another: a page takes
 * those syllables from the one small file (document.fonts.load would fetch every face whose
 * range holds a character, not only the one that draws it).
 */
function writeKoreanFonts(outDir, subsets, chrome) {
  const version = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')).version;
  const chromeRange = [...chrome].map((ch) => `U+${ch.codePointAt(0).toString(16)}`).join(',');
  const css =
    subsets
      .map(({ id, ranges }) => ({ id, unicodeRange: unicodeRangeOf(ranges, chrome) }))
      .filter(({ unicodeRange }) => unicodeRange)
      .flatMap(({ id, unicodeRange }) => WEIGHTS.map(({ file, range }) => face(fileName(id, file), range, unicodeRange)))
      .join('') +
    `/* The Hangul every page shows (${chrome}): korean-chrome-font.py. */\n` +
    WEIGHTS.map(({ file, range }) => face(chromeFileName(file), range, chromeRange)).join('');
  const head = `/* Generated by web/tools/korean-font-plugin.mjs from @fontsource/noto-sans-kr ${version}: do not edit. */\n`;
  const stamp = crypto.createHash('sha256').update(version).update(head + css).update(fs.readFileSync(CHROME_SCRIPT)).digest('hex').slice(0, 16);
  const stampFile = path.join(outDir, 'stamp.txt');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return;
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  for (const { id } of subsets) for (const { file } of WEIGHTS) fs.copyFileSync(path.join(PACKAGE, 'files', fileName(id, file)), path.join(outDir, fileName(id, file)));
  const holding = subsets.filter(({ ranges }) => [...chrome].some((ch) => ranges.some(([lo, hi]) => ch.codePointAt(0) >= lo && ch.codePointAt(0) <= hi)));
  for (const { file } of WEIGHTS) {
    const splitFiles = holding.map(({ id }) => path.join(PACKAGE, 'files', fileName(id, file)));
    try {
      execFileSync(PYTHON, [CHROME_SCRIPT, chrome, path.join(outDir, chromeFileName(file)), ...splitFiles], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      fs.rmSync(outDir, { recursive: true, force: true });
      throw new Error(`korean-font-plugin: ${PYTHON} ${path.basename(CHROME_SCRIPT)} failed for weight ${file} (it needs Debian's python3-fonttools and python3-brotli, which \`npm run setup\` installs): ${e.stderr?.toString().trim() || e.message}`);
    }
  }
  fs.writeFileSync(path.join(outDir, 'korean.css'), head + css);
  fs.writeFileSync(stampFile, stamp);
}

export default function koreanFont({ tutorialsDir, webDir }) {
  const outDir = path.join(webDir, 'src/site/fonts');
  const subsets = koreanSubsets();
  const chrome = chromeText(tutorialsDir, webDir);
  let forSiteText = new Set();
  const textFiles = () => [
    ...filesUnder(path.join(tutorialsDir, 'ko'), (n) => n.endsWith('.md')),
    ...filesUnder(path.join(webDir, 'src'), (n) => /\.(js|html)$/.test(n)),
    ...fs.readdirSync(webDir).filter((n) => n.endsWith('.html')).map((n) => path.join(webDir, n)),
  ];
  return {
    name: 'gradlab-korean-font',
    buildStart() {
      writeKoreanFonts(outDir, subsets, chrome);
      forSiteText = subsetsFor(textFiles(), subsets);
    },
    generateBundle() {
      // The licence travels with the font files it covers.
      this.emitFile({ type: 'asset', fileName: 'assets/noto-sans-kr-LICENSE.txt', source: fs.readFileSync(path.join(PACKAGE, 'LICENSE'), 'utf8') });
    },
    /**
     * For the precache plugin: true for a built font file that no text of the site itself
     * needs (the service worker caches it when a page first draws it), false for any other.
     */
    cacheWhenUsed(builtFile) {
      const m = /(?:^|\/)noto-sans-kr-(\d+)-\d+-normal-[\w-]+\.woff2$/.exec(builtFile);
      return m !== null && !forSiteText.has(m[1]);
    },
  };
}
