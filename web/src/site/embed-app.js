// The embed page (embed.html#lang=…&chapter=…&cell=…): one experiment cell
// and nothing else, for an <iframe> in a course page. The cell's code runs in
// a worker of this page's origin, so a host page on another origin and the
// experiment cannot reach each other. The page tells its parent how tall it
// is (a number, nothing else) so a <gradlab-experiment> element can fit it.
import 'uplot/dist/uPlot.min.css';
import '../lab/lab.css';
import './site.css';
import { loadEngine } from '../runner/engine.js';
import { Runner } from '../runner/runner.js';
import { createCell } from '../lab/cell.js';
import { findChapter } from '../chapters/catalog.js';
import { parseHash, serialiseHash } from '../state/url-state.js';
import { loadCell, loadLang } from '../state/cell-store.js';
import { DEFAULT_LANG, uiStrings } from './i18n.js';
import { embedSnippet, linkNote, shareURL, siteBase } from './links.js';
import { registerOffline } from './offline.js';
import { koreanFontReady } from './korean-font.js';

const engine = loadEngine(document.baseURI); // started by boot.js; this is the same promise
const main = document.getElementById('embed');
window.gradlab = { cells: {}, engine };

function fail(text) {
  const p = document.createElement('p');
  p.className = 'chapter-note';
  p.textContent = text;
  main.replaceChildren(p);
}

const r = parseHash(location.hash);
const lang = r.lang ?? loadLang() ?? DEFAULT_LANG;
const t = uiStrings(lang);
document.documentElement.lang = lang;
const chapter = r.chapter ? findChapter(lang, r.chapter) : null;
const blocks = chapter ? (await chapter.load()).cells : [];
await koreanFontReady(lang);
const block = blocks.find((b) => b.id === r.cell) ?? (r.cell ? null : blocks[0]);

if (!chapter) fail(t.notFound(r.chapter ?? ''));
else if (!block) fail(t.notFound(`${r.chapter} / ${r.cell}`));
else {
  const where = { lang, chapter: chapter.slug, cell: block.id };
  const fromLink = !r.refused && (r.code !== undefined || r.knobs !== undefined || r.seed !== undefined);
  const saved = loadCell(where);
  const initial = fromLink
    ? { code: r.code ?? block.code, knobs: r.knobs ?? {}, seed: r.seed ?? block.seed, from: 'link' }
    : saved && { ...saved, seed: saved.seed ?? block.seed, from: 'storage' };
  const cell = createCell(main, {
    where,
    original: { title: block.title, code: block.code, seed: block.seed },
    initial,
    runner: new Runner({ baseURI: document.baseURI }),
    strings: t,
    // A link made here opens the full lab, not another embed.
    links: { share: (state) => shareURL(state, siteBase()), embed: (state) => embedSnippet(state, block.title) },
    persist: !fromLink, // a teacher's embedded variant stays as the teacher made it
    headingLevel: 1, // the cell is the whole page
  });
  window.gradlab.cells[block.id] = cell;
  if (r.refused) cell.root.before(linkNote(t.badLink(r.refused)));
  document.title = `${block.title} · gradlab`;
  const open = document.getElementById('open-in-lab');
  open.href = `${siteBase()}${serialiseHash({ lang, chapter: chapter.slug, section: undefined })}`;
  open.textContent = `${t.openInLab} ↗`;
  cell.start();
  if (fromLink) cell.run();
}

// Report the height to the embedding page (only a number; any origin may know it).
if (window.parent !== window) {
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: 'gradlab:height', height }, '*');
    }
  }).observe(document.body);
}

engine.then((e) => {
  const f = document.getElementById('footer-engine');
  f.textContent = t.engine(e.name);
  f.dataset.flavour = e.flavour;
}, () => {});
registerOffline();
