// Where a chapter is shown: its HTML (rendered at build time by markdown.js), its table
// of contents, and an experiment cell in place of every experiment block.
// The cells themselves come from `makeCell` (the site decides how a cell is
// wired); this view only places them and lets their engines start when they
// come near the screen.
/**
 * Renders `chapter` into `article` and its contents into `tocRoot`.
 * makeCell(slot, block) builds a cell in `slot` and returns its controller.
 * Returns { cells: Map(id -> cell), dispose() }.
 */
export function showChapter({ article, tocRoot, chapter, strings, makeCell, sectionHref }) {
  const { html, toc, cells: blocks } = chapter;
  // The chapter and its cells are built off the document and put in at once: an editor made in
  // the page reads the page's selection, which lays the whole page out again, once per cell.
  const built = document.createElement('div');
  built.innerHTML = html;
  article.replaceChildren();
  article.lang = chapter.lang;
  if (chapter.fallback) {
    const note = document.createElement('p');
    note.className = 'chapter-note';
    note.textContent = strings.missingInLang;
    article.prepend(note);
  }

  tocRoot.replaceChildren();
  if (toc.length) {
    // Folded on a narrow screen, where the contents would stand between the reader and the text.
    const fold = document.createElement('details');
    fold.className = 'toc-fold';
    fold.open = !globalThis.matchMedia?.('(max-width: 960px)').matches;
    const title = document.createElement('summary');
    title.className = 'nav-title';
    title.textContent = strings.contents;
    const list = document.createElement('ol');
    list.className = 'toc';
    for (const entry of toc) {
      const li = document.createElement('li');
      li.className = `toc-level-${entry.level}`;
      const a = document.createElement('a');
      a.href = sectionHref(entry.id);
      a.textContent = entry.text;
      li.append(a);
      list.append(li);
    }
    fold.append(title, list);
    tocRoot.append(fold);
  }

  const cells = new Map();
  const starter = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        starter.unobserve(e.target);
        cells.get(e.target.dataset.cellId)?.start();
      }
    },
    { rootMargin: '400px 0px' },
  );
  for (const slot of built.querySelectorAll('.experiment-slot')) {
    const block = blocks[Number(slot.dataset.cellIndex)];
    if (cells.has(block.id)) continue; // a repeated id: the first block wins
    const cell = makeCell(slot, block);
    slot.dataset.cellId = block.id;
    cells.set(block.id, cell);
    starter.observe(slot);
  }
  article.append(...built.childNodes);

  cells.values().next().value?.start(); // the first experiment gets its engine at once

  return {
    cells,
    dispose() {
      starter.disconnect();
      for (const cell of cells.values()) cell.dispose();
      cells.clear();
    },
  };
}
