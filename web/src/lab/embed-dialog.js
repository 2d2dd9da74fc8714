// The Embed dialog of a cell: the options a teacher picks (the code shown,
// folded or hidden; run when the page opens) and the two snippets that embed
// the cell as it is now, an <iframe> and a <gradlab-experiment>, each with a
// Copy button. The HTML itself comes from the page (site/links.js).

const OPTIONS = [
  ['', 'embedCodeShown'],
  ['fold', 'embedCodeFolded'],
  ['hide', 'embedCodeHidden'],
];

/**
 * A dialog inside `parent`, made once per cell.
 *   snippets(state, { editor, run }) -> { iframe, element }
 * open(state) shows it for the cell's state at that moment.
 */
export function createEmbedDialog(parent, { strings: t, snippets }) {
  let dialog = null;
  let state = null;

  function build() {
    dialog = document.createElement('dialog');
    dialog.className = 'embed-dialog';
    dialog.innerHTML = `
      <form method="dialog">
        <h3 class="embed-title"></h3>
        <fieldset class="embed-options">
          <legend></legend>
          ${OPTIONS.map(([value]) => `<label><input type="radio" name="editor" value="${value}"${value ? '' : ' checked'} /><span></span></label>`).join('')}
        </fieldset>
        <label class="embed-run"><input type="checkbox" name="run" /><span></span></label>
        <p class="embed-note"></p>
        ${['iframe', 'element']
          .map(
            (kind) => `
        <section class="embed-snippet" data-kind="${kind}">
          <h4></h4>
          <p class="embed-hint"></p>
          <textarea readonly spellcheck="false" wrap="off" rows="5"></textarea>
          <div class="embed-copy">
            <button type="button" class="button button-small" data-action="copy"></button>
            <span class="share-copied" aria-live="polite"></span>
          </div>
        </section>`,
          )
          .join('')}
        <div class="embed-close"><button class="button" value="close"></button></div>
      </form>`;
    const id = `${parent.id}-embed-title`;
    const title = dialog.querySelector('.embed-title');
    title.id = id;
    title.textContent = t.embedTitle;
    dialog.setAttribute('aria-labelledby', id);
    dialog.querySelector('legend').textContent = t.embedCode;
    dialog.querySelectorAll('.embed-options span').forEach((span, i) => (span.textContent = t[OPTIONS[i][1]]));
    dialog.querySelector('.embed-run span').textContent = t.embedRunOnLoad;
    dialog.querySelector('.embed-note').textContent = t.embedNote;
    for (const section of dialog.querySelectorAll('.embed-snippet')) {
      const kind = section.dataset.kind;
      section.querySelector('h4').textContent = kind === 'iframe' ? t.embedIframe : t.embedElement;
      section.querySelector('.embed-hint').textContent = kind === 'iframe' ? t.embedIframeHint : t.embedElementHint;
      const area = section.querySelector('textarea');
      area.setAttribute('aria-label', kind === 'iframe' ? t.embedIframe : t.embedElement);
      const copy = section.querySelector('[data-action="copy"]');
      copy.textContent = t.copy;
      copy.addEventListener('click', () => copyText(area, section.querySelector('.share-copied')));
    }
    dialog.querySelector('.embed-close button').textContent = t.close;
    dialog.addEventListener('change', render);
    // Keys typed here are the dialog's: Esc closes it (and does not stop the cell's run),
    // Ctrl+Enter does not run the cell behind it.
    dialog.addEventListener('keydown', (event) => event.stopPropagation());
    parent.append(dialog);
  }

  function options() {
    const form = dialog.querySelector('form');
    return { editor: form.elements.editor.value || undefined, run: form.elements.run.checked ? 'load' : undefined };
  }

  function render() {
    const html = snippets(state, options());
    for (const section of dialog.querySelectorAll('.embed-snippet')) {
      const area = section.querySelector('textarea');
      area.value = html[section.dataset.kind];
      area.rows = area.value.split('\n').length + 1;
      section.querySelector('.share-copied').textContent = '';
    }
  }

  async function copyText(area, note) {
    area.focus();
    area.select();
    try {
      await navigator.clipboard.writeText(area.value);
      note.textContent = t.copied;
    } catch {
      note.textContent = t.copyByHand; // no clipboard here: the text is selected
    }
  }

  return {
    open(cellState) {
      if (!dialog) build();
      state = cellState;
      render();
      dialog.showModal();
    },
  };
}
