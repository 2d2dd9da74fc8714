// A Vite plugin that renders the chapters (tutorials/<lang>/*.md) at build
// time: the built site carries ready HTML, contents and experiment blocks,
// and neither markdown-it nor KaTeX's JavaScript.
//   virtual:gradlab-chapters            the list: { slug, lang, order, title, summary, meta, load() }
//   virtual:gradlab-chapter/<lang>/<slug>   one chapter, its own chunk, loaded when opened
// The dev server reloads the page when a chapter changes.
import fs from 'node:fs';
import path from 'node:path';
import { renderChapterFile } from '../src/chapters/markdown.js';

const ID = 'virtual:gradlab-chapters';
const ONE = 'virtual:gradlab-chapter/';
const RESOLVED = `\0${ID}`;

export function renderAllChapters(tutorialsDir) {
  const chapters = [];
  for (const lang of fs.readdirSync(tutorialsDir, { withFileTypes: true })) {
    if (!lang.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(tutorialsDir, lang.name)).sort()) {
      if (!file.endsWith('.md')) continue;
      const full = path.join(tutorialsDir, lang.name, file);
      const chapter = renderChapterFile(`${lang.name}/${file}`, fs.readFileSync(full, 'utf8'));
      if (chapter) chapters.push({ ...chapter, file: full });
    }
  }
  return chapters;
}

export default function chapters({ dir }) {
  return {
    name: 'gradlab-chapters',
    resolveId(id) {
      if (id === ID) return RESOLVED;
      if (id.startsWith(ONE)) return `\0${id}`;
      return null;
    },
    load(id) {
      if (id === RESOLVED) {
        const entries = renderAllChapters(dir).map((c) => {
          this.addWatchFile(c.file);
          const meta = JSON.stringify({ slug: c.slug, lang: c.lang, order: c.order, title: c.title, summary: c.summary, meta: c.meta });
          return `  { ...${meta}, load: () => import(${JSON.stringify(`${ONE}${c.lang}/${c.slug}`)}).then((m) => m.default) }`;
        });
        return `export default [\n${entries.join(',\n')}\n];\n`;
      }
      if (id.startsWith(`\0${ONE}`)) {
        const [lang, slug] = id.slice(ONE.length + 1).split('/');
        const chapter = renderAllChapters(dir).find((c) => c.lang === lang && c.slug === slug);
        if (!chapter) throw new Error(`gradlab-chapters: no chapter ${lang}/${slug}`);
        this.addWatchFile(chapter.file);
        const { file, ...data } = chapter;
        return `export default ${JSON.stringify(data)};\n`;
      }
      return null;
    },
    // The dev server: a chapter edited, added or removed reloads the page with it.
    configureServer(server) {
      server.watcher.add(dir);
      const reload = (file) => {
        if (!file.startsWith(dir) || !file.endsWith('.md')) return;
        for (const mod of server.moduleGraph.idToModuleMap.values()) {
          if (mod.id?.startsWith(`\0virtual:gradlab-chapter`)) server.moduleGraph.invalidateModule(mod);
        }
        server.ws.send({ type: 'full-reload' });
      };
      server.watcher.on('add', reload);
      server.watcher.on('unlink', reload);
      server.watcher.on('change', reload);
    },
    handleHotUpdate({ file }) {
      if (file.startsWith(dir) && file.endsWith('.md')) return []; // configureServer's watcher reloads
      return undefined;
    },
  };
}
