// Which article each chapter treats, shown on the landing page (every article, with what the
// lab has for it and what is still to come) and under a chapter's title. The data is front
// matter (catalog.js); the text goes in through textContent. Article titles are Korean in
// both languages, as the articles have them, so they carry lang="ko".
import { articleWords, chapterArticles, listArticles } from './catalog.js';

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== ''));
  return node;
}

const articleTitle = (title) => el('cite', { lang: 'ko', textContent: `«${title}»` });

/** The landing page's list of articles; `href(slug)` links a chapter. */
export function articleList(lang, href) {
  const words = articleWords(lang);
  const list = el('ul', { className: 'article-list' });
  for (const a of listArticles(lang)) {
    const item = el('li', { className: 'article' });
    item.dataset.article = a.id;
    item.append(el('h3', {}, articleTitle(a.title)));
    if (a.from) item.append(el('p', { className: 'article-from', textContent: a.from }));
    if (a.chapters.length) {
      const chapters = el('ul', { className: 'article-chapters' });
      for (const c of a.chapters) {
        chapters.append(el('li', {}, el('a', { href: href(c.slug), textContent: c.title }), `: ${c.sections}`));
      }
      item.append(el('p', { className: 'article-label', textContent: words.labHas }), chapters);
    }
    item.append(el('p', { className: 'article-todo' }, el('strong', { textContent: `${words.toCome}: ` }), a.todo));
    list.append(item);
  }
  const section = el('section', { className: 'articles' });
  section.setAttribute('aria-labelledby', 'articles-heading');
  section.append(el('h2', { id: 'articles-heading', textContent: words.heading }), el('p', { textContent: words.intro }), list);
  return section;
}

/** "Treats: «article»: sections; …" for the chapter `slug`, or null if it names no article. */
export function chapterArticlesNote(lang, slug) {
  const articles = chapterArticles(lang, slug);
  if (!articles.length) return null;
  const note = el('p', { className: 'chapter-articles' }, el('strong', { textContent: `${articleWords(lang).treats}: ` }));
  articles.forEach((a, i) => {
    if (i > 0) note.append('; ');
    note.append(articleTitle(a.title), `: ${a.sections}`);
  });
  return note;
}
