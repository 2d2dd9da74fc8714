// The embed page (embed.html#lang=…&chapter=…&cell=…): one experiment cell
// and nothing else, for an <iframe> in a course page. The cell's code runs in
// gradlab's sandbox, so a host page and the experiment cannot reach each
// other. A teacher's link sets the cell's starting point (seed, knobs, code:
// its baseline, so a reader sees no "edited" for them), shows the code folded
// or hidden (editor=fold|hide) and may run it on load (run=load). The page
// tells its parent how tall it is (a number, nothing else) so that
// gradlab-embed.js can fit the frame.
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
import { apiReferenceURL, embedSnippets, linkNote, shareURL, siteBase } from './links.js';
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
await koreanFontReady(lang, blocks.map((b) => `${b.title ?? ''} ${b.code ?? ''}`).join(' '));
const block = blocks.find((b) => b.id === r.cell) ?? (r.cell ? null : blocks[0]);

if (!chapter) fail(t.notFound(r.chapter ?? ''));
else if (!block) fail(t.notFound(`${r.chapter} / ${r.cell}`));
else {
  const where = { lang, chapter: chapter.slug, cell: block.id };
  const fromLink = !r.refused && (r.code !== undefined || r.knobs !== undefined || r.seed !== undefined || r.language !== undefined);
  const saved = loadCell(where);
  const original = { title: block.title, code: block.code, seed: block.seed, language: block.language, versions: block.versions };
  // The teacher's variant: its code in the language the link names (the cell's first by default).
  const versions = block.versions ?? { js: block.code };
  const teacherLanguage = r.language && (r.code !== undefined || r.language in versions) ? r.language : block.language ?? 'js';
  const teacher = fromLink
    ? { code: r.code ?? versions[teacherLanguage], language: teacherLanguage, knobs: r.knobs ?? {}, seed: r.seed ?? block.seed }
    : null;
  const initial = teacher ? { ...teacher, from: 'link' } : saved && { ...saved, seed: saved.seed ?? block.seed, from: 'storage' };
  const cell = createCell(main, {
    where,
    original,
    baseline: teacher ?? original,
    initial,
    runner: new Runner({ baseURI: document.baseURI }),
    strings: t,
    // A link made here opens the full lab, not another embed.
    links: { share: (state) => shareURL(state, siteBase()), embed: (state, options) => embedSnippets(state, block.title, options), api: () => apiReferenceURL(lang, siteBase()) },
    persist: !fromLink, // a teacher's embedded variant stays as the teacher made it
    headingLevel: 1, // the cell is the whole page
  });
  window.gradlab.cells[block.id] = cell;
  if (r.refused) cell.root.before(linkNote(t.badLink(r.refused)));
  document.title = `${block.title} · gradlab`;
  const open = document.getElementById('open-in-lab');
  open.href = `${siteBase()}${serialiseHash({ lang, chapter: chapter.slug, section: undefined })}`;
  open.textContent = `${t.openInLab} ↗`;
  if (r.editor) showCodeAs(cell, r.editor);
  cell.start();
  if (r.run === 'load') cell.run();
}

/** The teacher's choice for the code: 'hide' (knobs, Run and output only) or 'fold' (a button shows it). */
function showCodeAs(cell, how) {
  const code = cell.root.querySelector('.cell-editor');
  code.id = `${cell.root.id}-code`;
  code.hidden = true;
  cell.root.dataset.editor = how;
  if (how !== 'fold') return;
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'button button-small code-toggle';
  toggle.setAttribute('aria-controls', code.id);
  const show = (open) => {
    code.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? t.hideCode : t.showCode;
  };
  toggle.addEventListener('click', () => show(code.hidden));
  show(false);
  code.before(toggle);
}

// Report the height to the embedding page: only a number (any origin may know it), the
// height of what the page shows, so that the frame can shrink as well as grow.
if (window.parent !== window) {
  let last = 0;
  const tell = () => window.parent.postMessage({ type: 'gradlab:height', height: last }, '*');
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      tell();
    }
  }).observe(document.body);
  // gradlab-embed.js asks again when it loaded after this frame had told its height.
  window.addEventListener('message', (event) => {
    if (event.source === window.parent && event.data?.type === 'gradlab:measure' && last > 0) tell();
  });
}

engine.then((e) => {
  const f = document.getElementById('footer-engine');
  f.textContent = t.engine(e.name);
  f.dataset.flavour = e.flavour;
}, () => {});
registerOffline();
