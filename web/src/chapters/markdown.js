// Renders a chapter's Markdown: headings with ids and a table of contents,
// math typeset by KaTeX ($…$ inline, $$…$$ as a block), emphasis that works
// next to Hangul (markdown-it-cjk-friendly: CommonMark alone leaves the asterisks
// of `**이름(label)**이` on screen), and experiment
// blocks, which become placeholders the chapter view fills with cells:
//   ```gradlab id=lstm-cell title="An LSTM cell by hand" seed=42
//   …JavaScript…
//   ```
//   ```gradlab-python id=lstm-cell
//   …PyTorch…
//   ```
// A `gradlab-python` block is a Python cell. Right after a block of the other language with
// the same id, it is that cell's other version instead: one cell with a switch
// "JavaScript | PyTorch" (the first block's title and seed, and its language first).
// It runs at build time, in Node (tools/chapters-plugin.mjs): the site ships
// the rendered HTML, not markdown-it or KaTeX's JavaScript (KaTeX's CSS and
// fonts are bundled with the site; nothing comes from a CDN).
import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import katex from 'katex';
import { expandApiReference } from './api-reference.js';

export const FENCE_KIND = 'gradlab';
export const PYTHON_FENCE_KIND = 'gradlab-python';
const FENCE_LANGUAGES = { [FENCE_KIND]: 'js', [PYTHON_FENCE_KIND]: 'python' };
const MATH_LABEL = { ko: '수식', en: 'Equation' };
const TABLE_LABEL = { ko: '표', en: 'Table' };

/** id=x title="a b" seed=3  ->  { id: 'x', title: 'a b', seed: '3' } */
export function parseFenceInfo(info) {
  const attrs = {};
  for (const m of info.matchAll(/([\w-]+)=(?:"([^"]*)"|(\S+))/g)) attrs[m[1]] = m[2] ?? m[3];
  return attrs;
}

/**
 * The cell an experiment block describes: { id, title, seed, code, language, versions }, where
 * language is 'js' or 'python', code is that language's, and versions { js?, python? } holds
 * the code of each version the cell has. index names blocks without an id.
 */
export function describeBlock(info, code, index, language = 'js') {
  const attrs = parseFenceInfo(info);
  const id = attrs.id && /^[\w-]+$/.test(attrs.id) ? attrs.id : `cell-${index + 1}`;
  const seedNumber = Number(attrs.seed);
  const seed = attrs.seed !== undefined && Number.isInteger(seedNumber) && seedNumber >= 0 ? seedNumber : 0;
  return { id, title: attrs.title ?? id, seed, code, language, versions: { [language]: code } };
}

/** { meta, body } from a Markdown text with optional `key: value` front matter. */
export function splitFrontMatter(text) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { meta: {}, body: text };
  const meta = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (kv) meta[kv[1]] = kv[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return { meta, body: text.slice(m[0].length) };
}

/** A heading's id: its words, lower-case, joined by '-' (Korean letters kept). */
export function slugify(text) {
  return (
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'section'
  );
}

function renderMath(tex, displayMode) {
  return katex.renderToString(tex, { displayMode, throwOnError: false, output: 'htmlAndMathml' });
}

// $…$: not "$ " at the start, not " $" at the end, not a price like $5 and $6.
function mathInline(state, silent) {
  const { src, pos } = state;
  if (src[pos] !== '$' || src[pos + 1] === '$') return false;
  if (/\s/.test(src[pos + 1] ?? ' ')) return false;
  let end = pos + 1;
  while ((end = src.indexOf('$', end)) !== -1) {
    if (src[end - 1] === '\\') {
      end++;
      continue;
    }
    if (/\s/.test(src[end - 1])) return false;
    if (/\d/.test(src[end + 1] ?? '')) return false;
    break;
  }
  if (end === -1 || end === pos + 1) return false;
  if (!silent) {
    const token = state.push('math_inline', 'math', 0);
    token.content = src.slice(pos + 1, end);
  }
  state.pos = end + 1;
  return true;
}

function mathBlock(state, startLine, endLine, silent) {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const max = state.eMarks[startLine];
  if (state.src.slice(start, start + 2) !== '$$') return false;
  const firstLine = state.src.slice(start + 2, max);
  let content;
  let line = startLine;
  if (firstLine.trim().endsWith('$$') && firstLine.trim().length > 2) {
    content = firstLine.trim().slice(0, -2);
  } else {
    const lines = [firstLine];
    let found = false;
    while (++line < endLine) {
      const s = state.bMarks[line] + state.tShift[line];
      const text = state.src.slice(s, state.eMarks[line]);
      if (text.trim().endsWith('$$')) {
        lines.push(text.trim().slice(0, -2));
        found = true;
        break;
      }
      lines.push(text);
    }
    if (!found) return false;
    content = lines.join('\n');
  }
  if (silent) return true;
  state.line = line + 1;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = content.trim();
  token.map = [startLine, state.line];
  return true;
}

function createRenderer() {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: true }).use(cjkFriendly);
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules.math_inline = (tokens, i) => renderMath(tokens[i].content, false);
  // A display formula wider than a phone scrolls sideways in its own box, which the keyboard
  // can reach (tabindex) and a screen reader names (a group: a label on a bare div is not read).
  md.renderer.rules.math_block = (tokens, i, options, env) =>
    `<div class="math-block" tabindex="0" role="group" aria-label="${MATH_LABEL[env.lang] ?? MATH_LABEL.en}">${renderMath(tokens[i].content, true)}</div>\n`;

  // A table wider than a phone scrolls the same way, in its own box.
  const defaultTableOpen = md.renderer.rules.table_open ?? ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
  const defaultTableClose = md.renderer.rules.table_close ?? ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.table_open = (tokens, i, options, env, self) =>
    `<div class="table-scroll" tabindex="0" role="group" aria-label="${TABLE_LABEL[env.lang] ?? TABLE_LABEL.en}">${defaultTableOpen(tokens, i, options, env, self)}`;
  md.renderer.rules.table_close = (tokens, i, options, env, self) => `${defaultTableClose(tokens, i, options, env, self)}</div>\n`;

  // A code block scrolls sideways when its lines are long: it takes the focus, so that the
  // keyboard can scroll it too.
  const focusable = (html) => html.replace(/^<pre>/, '<pre tabindex="0">');
  const defaultCodeBlock = md.renderer.rules.code_block;
  md.renderer.rules.code_block = (...args) => focusable(defaultCodeBlock(...args));
  const defaultFence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, i, options, env, self) => {
    const token = tokens[i];
    const [kind, ...rest] = token.info.trim().split(/\s+/);
    const language = FENCE_LANGUAGES[kind];
    if (!language) return focusable(defaultFence(tokens, i, options, env, self));
    const index = env.cells.length;
    const block = describeBlock(rest.join(' '), token.content, index, language);
    // The other language's version of the block just before: the same cell.
    const previous = env.cells[index - 1];
    const adjacent = tokens[i - 1]?.type === 'fence' && FENCE_LANGUAGES[tokens[i - 1].info.trim().split(/\s+/)[0]];
    if (adjacent && previous && previous.id === block.id && !(language in previous.versions)) {
      previous.versions[language] = block.code;
      return '';
    }
    env.cells.push(block);
    return `<div class="experiment-slot" data-cell-index="${index}"></div>\n`;
  };

  // Headings get ids (unique within the chapter) and h2/h3 go into the contents.
  md.core.ruler.push('heading_ids', (state) => {
    const used = new Set();
    const { tokens, env } = state;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type !== 'heading_open') continue;
      const text = tokens[i + 1].children.filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('');
      let id = slugify(text);
      for (let n = 2; used.has(id); n++) id = `${slugify(text)}-${n}`;
      used.add(id);
      tokens[i].attrSet('id', id);
      const level = Number(tokens[i].tag.slice(1));
      if (level === 2 || level === 3) env.toc.push({ id, level, text });
    }
  });
  return md;
}

let renderer = null;

/** { html, toc: [{ id, level, text }], cells: [{ id, title, seed, code }] }; lang names what the page adds (labels). */
export function renderMarkdown(body, lang = 'en') {
  renderer ??= createRenderer();
  const env = { toc: [], cells: [], lang };
  const html = renderer.render(body, env);
  return { html, toc: env.toc, cells: env.cells };
}

/**
 * A chapter file, rendered: { slug, lang, order, title, summary, meta (all its front matter), html, toc, cells }.
 * path: tutorials/<lang>/<NN>-<slug>.md (numbered: listed) or tutorials/<lang>/<slug>.md.
 * Returns null for a path that is not a chapter.
 */
export function renderChapterFile(path, text) {
  const m = /(?:^|\/)([a-z]{2})\/(?:(\d+)-)?([\w-]+)\.md$/.exec(path);
  if (!m || m[3] === 'README') return null;
  const [, lang, order, slug] = m;
  const { meta, body } = splitFrontMatter(text);
  const { html, toc, cells } = renderMarkdown(expandApiReference(body, lang), lang);
  return {
    slug,
    lang,
    order: order === undefined ? null : Number(order),
    title: meta.title ?? /^#\s+(.+)$/m.exec(body)?.[1].trim() ?? slug,
    summary: meta.summary ?? '',
    meta,
    html,
    toc,
    cells,
  };
}
