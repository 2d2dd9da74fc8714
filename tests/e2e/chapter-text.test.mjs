// The chapters' text as a reader sees it, checked in Node without a browser: every chapter in
// both languages is rendered the way the build renders it (web/tools/chapters-plugin.mjs), and
// no Markdown syntax is left showing (CommonMark's emphasis rules refuse `**…**` next to Hangul
// in some places; web/src/chapters/markdown.js uses markdown-it-cjk-friendly for that).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { renderAllChapters } from '../../web/tools/chapters-plugin.mjs';
import { renderMarkdown } from '../../web/src/chapters/markdown.js';

const TUTORIALS = fileURLToPath(new URL('../../tutorials', import.meta.url));

/** The text of rendered HTML outside code and outside KaTeX's TeX source. */
function proseText(html) {
  return html
    .replace(/<pre[\s\S]*?<\/pre>/g, ' ')
    .replace(/<code[\s\S]*?<\/code>/g, ' ')
    .replace(/<annotation[\s\S]*?<\/annotation>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));
}

test('bold and italics next to Hangul are emphasis, not literal asterisks', () => {
  // The two forms a chapter once showed with their asterisks, and the plugin's own example shape.
  const cases = {
    '**학습 중의 ‖dL/dh_t‖**는 히트맵입니다.': '<strong>학습 중의 ‖dL/dh_t‖</strong>는',
    '**이름(label)**이 범례에 나옵니다.': '<strong>이름(label)</strong>이',
    '*기울기(gradient)*를 봅니다.': '<em>기울기(gradient)</em>를',
    '그래서 **기울기 소실**이 생깁니다.': '<strong>기울기 소실</strong>이',
  };
  for (const [source, expected] of Object.entries(cases)) {
    const { html } = renderMarkdown(source);
    assert.ok(html.includes(expected), `${JSON.stringify(source)} rendered as ${html.trim()}`);
  }
  // English emphasis is unchanged, and code keeps its asterisks.
  assert.match(renderMarkdown('a **bold** word and `x ** 2`').html, /a <strong>bold<\/strong> word and <code>x \*\* 2<\/code>/);
});

test('no chapter, in either language, shows a literal ** or __ outside code', () => {
  const chapters = renderAllChapters(TUTORIALS);
  assert.ok(chapters.length >= 8, `rendered ${chapters.length} chapter files`);
  const left = [];
  for (const c of chapters) {
    const shown = [c.title, c.summary, ...c.toc.map((t) => t.text), proseText(c.html)].join('\n');
    for (const m of shown.matchAll(/.{0,25}(\*\*|__).{0,25}/g)) left.push(`${c.lang}/${c.slug}: ${JSON.stringify(m[0])}`);
  }
  assert.deepEqual(left, []);
});
