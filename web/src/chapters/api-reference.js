// The gl API reference as Markdown, made from the one list in api/reference.js at build time:
// a chapter asks for it with an empty fenced block,
//   ```gradlab-api            every group, each under its own ## heading
//   ```gradlab-api globals    one group's table, no heading
// and markdown.js renders the result with the rest of the chapter.
import { API_GROUPS } from '../api/reference.js';

const HEAD = {
  ko: '| 코드 | PyTorch | 설명 |\n|---|---|---|',
  en: '| Code | PyTorch | What it does |\n|---|---|---|',
};

// A code span in a table cell: its pipes escaped (markdown-it splits cells at bare ones).
const code = (s) => (s ? `\`${s.replace(/\|/g, '\\|')}\`` : '—');
const cell = (s) => s.replace(/\|/g, '\\|');

function table(group, lang) {
  const rows = group.entries.map((x) => `| ${code(x.sig)} | ${code(x.torch)} | ${cell(x[lang])} |`);
  return `${HEAD[lang]}\n${rows.join('\n')}\n`;
}

/** Markdown for every group (headings, intros, tables), or for one group's table. */
export function apiReferenceMarkdown(lang, groupId = null) {
  const l = lang === 'ko' ? 'ko' : 'en';
  if (groupId) {
    const group = API_GROUPS.find((g) => g.id === groupId);
    if (!group) throw new Error(`gradlab-api: no group '${groupId}' (the groups are ${API_GROUPS.map((g) => g.id).join(', ')})`);
    return table(group, l);
  }
  return API_GROUPS.map((g) => `## ${g[l].title}\n\n${g[l].intro}\n\n${table(g, l)}`).join('\n');
}

const DIRECTIVE = /^```gradlab-api(?:[ \t]+([\w-]+))?[ \t]*\r?\n```[ \t]*$/gm;

/** The chapter's Markdown with each gradlab-api block replaced by the reference. */
export function expandApiReference(body, lang) {
  return body.replace(DIRECTIVE, (_, group) => apiReferenceMarkdown(lang, group ?? null));
}
