// The chapters: Markdown files under tutorials/<lang>/, rendered at build
// time (tools/chapters-plugin.mjs) and bundled into the site, each in a
// chunk of its own, so the built site stays plain static files.
//   tutorials/ko/01-lstm-cell.md   chapter "lstm-cell", listed in order
//   tutorials/ko/reference.md      the lab's reference page (not numbered: not listed)
import CHAPTERS from 'virtual:gradlab-chapters';
import { DEFAULT_LANG, LANGS } from '../site/i18n.js';

const byLang = Object.fromEntries(LANGS.map((l) => [l, new Map()]));
for (const c of CHAPTERS) byLang[c.lang]?.set(c.slug, c);

/** Numbered chapters in `lang`, in order (those not translated yet in another language): { slug, lang, title, summary, ... }. */
export function listChapters(lang) {
  const slugs = new Set();
  for (const l of LANGS) for (const c of byLang[l].values()) if (c.order !== null) slugs.add(c.slug);
  return [...slugs]
    .map((slug) => findChapter(lang, slug))
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

/**
 * The chapter `slug` in `lang`, or in another language when it is not
 * translated yet (then `fallback` is true); null if it exists nowhere.
 * `load()` resolves to its content: { html, toc, cells, ... }.
 */
export function findChapter(lang, slug) {
  const own = byLang[lang]?.get(slug);
  if (own) return { ...own, fallback: false };
  for (const l of [DEFAULT_LANG, ...LANGS]) {
    const other = byLang[l]?.get(slug);
    if (other) return { ...other, fallback: true };
  }
  return null;
}

// The articles the lab is about, and which chapter treats which part of them: data in front
// matter, joined here. tutorials/<lang>/index.md lists the articles, in its order:
//   article-004: <the article's own title>      article-004-from: <where it was published>
//   article-004-todo: <what the lab does not have yet for it>
// and its words for the landing page (articles-heading, articles-intro, treats-label,
// lab-has-label, still-to-come-label). A chapter names the parts it treats:
//   treats-004: <the sections of article 004 this chapter treats>
const ARTICLE = /^article-(\d+)$/;

function landing(lang) {
  return findChapter(lang, 'index')?.meta ?? {};
}

/** The landing page's own words for the article list, in `lang`. */
export function articleWords(lang) {
  const m = landing(lang);
  return { heading: m['articles-heading'], intro: m['articles-intro'], treats: m['treats-label'], labHas: m['lab-has-label'], toCome: m['still-to-come-label'] };
}

/** [{ id, title, from, todo, chapters: [{ slug, title, sections }] }] in the order index.md lists them. */
export function listArticles(lang) {
  const m = landing(lang);
  return Object.keys(m)
    .map((key) => ARTICLE.exec(key)?.[1])
    .filter(Boolean)
    .map((id) => ({
      id,
      title: m[`article-${id}`],
      from: m[`article-${id}-from`] ?? '',
      todo: m[`article-${id}-todo`] ?? '',
      chapters: listChapters(lang)
        .filter((c) => c.meta?.[`treats-${id}`])
        .map((c) => ({ slug: c.slug, title: c.title, sections: c.meta[`treats-${id}`] })),
    }));
}

/** The articles a chapter treats: [{ id, title, sections }], in the order index.md lists them. */
export function chapterArticles(lang, slug) {
  const chapter = findChapter(lang, slug);
  return listArticles(lang)
    .filter((a) => chapter?.meta?.[`treats-${a.id}`])
    .map((a) => ({ id: a.id, title: a.title, sections: chapter.meta[`treats-${a.id}`] }));
}
