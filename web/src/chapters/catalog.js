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
