// The site (index.html): a chapter list, chapters rendered from tutorials/,
// the reference page, a language switch, and the offline service worker.
// Routes live in the URL's hash (state/url-state.js), so the built site is
// plain static files that work from any folder.
import 'uplot/dist/uPlot.min.css';
import 'katex/dist/katex.min.css';
import '../lab/lab.css';
import './site.css';
import { loadEngine } from '../runner/engine.js';
import { Runner } from '../runner/runner.js';
import { createCell } from '../lab/cell.js';
import { findChapter, listChapters } from '../chapters/catalog.js';
import { showChapter } from '../chapters/chapter-view.js';
import { articleList, chapterArticlesNote } from '../chapters/articles-view.js';
import { parseHash, serialiseHash } from '../state/url-state.js';
import { loadCell, loadLang, saveLang } from '../state/cell-store.js';
import { DEFAULT_LANG, LANG_NAMES, LANGS, uiStrings } from './i18n.js';
import { apiReferenceURL, embedSnippets, linkNote, shareURL } from './links.js';
import { registerOffline } from './offline.js';
import { koreanFontReady } from './korean-font.js';

const engine = loadEngine(document.baseURI); // started by boot.js; this is the same promise

const $ = (selector) => document.querySelector(selector);
const article = $('#chapter');
const tocRoot = $('#toc');
const chapterNav = $('#chapter-list');
// Folded on a narrow screen, as the page's contents are: nine chapter titles would fill a
// phone's first screen before the chapter starts.
$('#chapters-fold').open = !globalThis.matchMedia?.('(max-width: 960px)').matches;

let current = null; // { lang, slug, view } of the page shown
let engineName = null;
window.gradlab = { cells: {}, engine };

function chapterHash(lang, chapter, extra = {}) {
  return serialiseHash({ lang, chapter, ...extra });
}

function showShell(lang) {
  const t = uiStrings(lang);
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t[el.dataset.i18n];
  $('#nav-reference').href = chapterHash(lang, 'reference');
  $('#nav-home').href = chapterHash(lang);
  for (const button of document.querySelectorAll('.lang-switch button')) {
    button.textContent = LANG_NAMES[button.dataset.lang];
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  if (engineName) $('#footer-engine').textContent = t.engine(engineName);
  chapterNav.replaceChildren(
    ...listChapters(lang).map((c) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = chapterHash(lang, c.slug);
      a.textContent = c.title;
      a.dataset.chapter = c.slug;
      li.append(a);
      return li;
    }),
  );
}

function markCurrent(slug) {
  for (const a of document.querySelectorAll('#chapter-list a, #nav-reference')) {
    const here = (a.dataset.chapter ?? 'reference') === slug;
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function showHome(lang) {
  const t = uiStrings(lang);
  tocRoot.replaceChildren();
  article.lang = lang;
  const intro = findChapter(lang, 'index');
  const h1 = document.createElement('h1');
  h1.textContent = intro?.title ?? 'gradlab';
  const p = document.createElement('p');
  p.className = 'lead';
  p.textContent = intro?.summary ?? t.tagline;
  const list = document.createElement('ol');
  list.className = 'chapter-cards';
  for (const c of listChapters(lang)) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = chapterHash(lang, c.slug);
    a.innerHTML = '<strong></strong><span></span>';
    a.querySelector('strong').textContent = c.title;
    a.querySelector('span').textContent = c.summary;
    li.append(a);
    list.append(li);
  }
  article.replaceChildren(h1, p, list, articleList(lang, (slug) => chapterHash(lang, slug)));
  document.title = 'gradlab';
}

function showMissing(lang, slug) {
  const p = document.createElement('p');
  p.className = 'chapter-note';
  p.textContent = uiStrings(lang).notFound(slug);
  article.replaceChildren(p);
  tocRoot.replaceChildren();
}

function scrollToSection(id) {
  const target = id ? document.getElementById(id) : null;
  if (target) target.scrollIntoView({ block: 'start' });
}

/**
 * { code, language } a link gives a cell: its code (in the language it names, else the cell's
 * first), or the named version of the chapter's code; a language the cell has no code for is
 * left out.
 */
function linkedCode(route, block) {
  const versions = block.versions ?? { [block.language ?? 'js']: block.code };
  if (route.code !== undefined) return { code: route.code, language: route.language };
  if (route.language !== undefined && route.language in versions) return { code: undefined, language: route.language };
  return { code: undefined, language: undefined };
}

function makeCellFactory(lang, chapter, route) {
  const t = uiStrings(lang);
  return (slot, block) => {
    const where = { lang, chapter: chapter.slug, cell: block.id };
    const fromLink = route.cell === block.id && !route.refused && (route.code !== undefined || route.knobs !== undefined || route.seed !== undefined || route.language !== undefined);
    let initial = null;
    if (fromLink) initial = { ...linkedCode(route, block), knobs: route.knobs ?? {}, seed: route.seed ?? block.seed, from: 'link' };
    else {
      const saved = loadCell(where);
      if (saved) initial = { ...saved, seed: saved.seed ?? block.seed, from: 'storage' };
    }
    const cell = createCell(slot, {
      where,
      original: { title: block.title, code: block.code, seed: block.seed, language: block.language, versions: block.versions },
      initial,
      runner: new Runner({ baseURI: document.baseURI }),
      strings: t,
      links: {
        share: (state) => shareURL(state),
        embed: (state, options) => embedSnippets(state, block.title, options),
        api: () => apiReferenceURL(lang),
      },
    });
    return cell;
  };
}

let navigation = 0; // the newest route() call wins when chapters load out of order
let routedLang = null; // the language of the newest route() call, before its page is shown

async function route() {
  const token = ++navigation;
  const r = parseHash(location.hash);
  const lang = r.lang ?? loadLang() ?? DEFAULT_LANG;
  routedLang = lang;
  const slug = r.chapter ?? null;
  const sharedCell = r.cell && !r.refused && (r.code !== undefined || r.knobs !== undefined || r.seed !== undefined || r.language !== undefined);

  // Same page, no shared cell: only move to the section.
  if (current && current.lang === lang && current.slug === slug && !sharedCell) {
    scrollToSection(r.section);
    return;
  }
  // The chapter's text is fetched first, so that the Korean font's files for all of it (and for
  // the interface and the chapter list) are loaded before any of it is drawn (korean-font.js).
  const next = slug === null ? null : findChapter(lang, slug);
  const nextContent = next ? await next.load() : null;
  const nextText = nextContent ? [nextContent.html, ...nextContent.cells.map((c) => `${c.title ?? ''} ${c.code}`)].join(' ') : '';
  if (token !== navigation) return;
  await koreanFontReady(lang, `${listChapters(lang).map((c) => `${c.title} ${c.summary}`).join(' ')} ${nextText}`);
  if (token !== navigation) return;

  current?.view?.dispose();
  window.gradlab.cells = {};
  showShell(lang);
  markCurrent(slug);
  current = { lang, slug, view: null };

  if (slug === null) {
    showHome(lang);
    return;
  }
  const chapter = findChapter(lang, slug);
  if (!chapter) {
    showMissing(lang, slug);
    return;
  }
  document.title = `${chapter.title} · gradlab`;
  const content = await chapter.load();
  if (token !== navigation) return;
  const view = showChapter({
    article,
    tocRoot,
    chapter: { ...content, fallback: chapter.fallback },
    strings: uiStrings(lang),
    makeCell: makeCellFactory(lang, chapter, r),
    sectionHref: (id) => chapterHash(lang, slug, { section: id }),
  });
  current.view = view;
  window.gradlab.cells = Object.fromEntries(view.cells);
  const treats = chapterArticlesNote(lang, slug);
  if (treats) (article.querySelector('h1') ?? article.firstChild)?.after(treats);

  if (r.refused && view.cells.has(r.cell)) {
    // A link whose code or knobs could not be read: the cell as the chapter has it, and why.
    const cell = view.cells.get(r.cell);
    const note = linkNote(uiStrings(lang).badLink(r.refused));
    cell.root.before(note);
    note.scrollIntoView({ block: 'start' });
    history.replaceState(null, '', chapterHash(lang, slug, { section: r.section }));
  } else if (sharedCell && view.cells.has(r.cell)) {
    const cell = view.cells.get(r.cell);
    cell.root.scrollIntoView({ block: 'start' });
    cell.start();
    cell.run();
    // The link's state is now the cell's saved edit: drop it from the address,
    // so that a reload shows what the reader does next, not the link again.
    history.replaceState(null, '', chapterHash(lang, slug, { section: r.section }));
  } else if (r.section) {
    scrollToSection(r.section);
  } else {
    window.scrollTo(0, 0);
  }
}

// The language switch: remembered for the next visit.
for (const lang of LANGS) {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.lang = lang;
  button.lang = lang;
  // Its name is written by showShell(), once the Korean font's files for it are in.
  button.addEventListener('click', () => {
    saveLang(lang);
    const slug = current?.slug;
    location.hash = chapterHash(lang, slug ?? undefined);
  });
  $('.lang-switch').append(button);
}

// The skip link must not touch the hash (the hash is the route).
$('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  $('#content').focus();
});

window.addEventListener('hashchange', route);
route();

const footerEngine = $('#footer-engine');
engine.then(
  async (e) => {
    // The interface's faces (see route()). Not DEFAULT_LANG's while the first page still loads:
    // an English page would fetch the Korean interface's font files.
    const lang = current?.lang ?? routedLang ?? DEFAULT_LANG;
    await koreanFontReady(lang);
    engineName = e.name;
    footerEngine.textContent = uiStrings(current?.lang ?? lang).engine(e.name);
    footerEngine.dataset.flavour = e.flavour;
  },
  () => {},
);
registerOffline().then((ok) => {
  $('#footer-offline').hidden = !ok;
  document.documentElement.dataset.offline = String(ok);
});
